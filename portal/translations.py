"""Page translations: one page per subject, its text in the reader's language.

Editors translate a page in the admin ("Translate", wagtail.contrib.simple_translation); the
translation lives in the other locale's tree. The site is still routed through the
default-locale tree (`HomePage.route`), and everything keyed on a page (privacy, audience,
progress, attempts, feedback, read marks) stays on the default-locale page, so a reader who
switches language keeps his place and an untranslated page is simply shown as it is. The
translation only supplies the text: `page.localized` for one page, `translations_of` for a
list.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from wagtail.models import GroupPagePermission, Locale, Page


def _code(language_code: str | None = None) -> str:
    return (language_code or get_language() or settings.LANGUAGE_CODE).split("-")[0]


def locale_id(language_code: str | None = None) -> int | None:
    """The id of the locale of `language_code` (the active language by default)."""
    return (
        Locale.objects.filter(language_code=_code(language_code))
        .values_list("pk", flat=True)
        .first()
    )


def default_locale_id() -> int | None:
    return locale_id(settings.LANGUAGE_CODE)


def default_locale_q(prefix: str = "") -> Q:
    """Pages of the default-locale tree only (`prefix` as in `page__`), so that lists,
    searches and counts show each subject once however many translations it has."""
    return Q(**{f"{prefix}locale__language_code": settings.LANGUAGE_CODE})


def source_of(page: Page) -> Page:
    """The default-locale page that `page` translates (`page` itself when it is one)."""
    default = default_locale_id()
    if default is None or page.locale_id == default:
        return page
    source = (
        type(page)
        ._default_manager.filter(translation_key=page.translation_key, locale_id=default)
        .first()
    )
    return source or page


def translations_of(pages, model=Page) -> dict[int, Page]:
    """Live translations of default-locale `pages` in the active language, by page id.

    No query in the default language, one otherwise (as `model`, so its own fields come
    with it); a page without a live translation is not in the result.
    """
    code = _code()
    if code == _code(settings.LANGUAGE_CODE):
        return {}
    keys = {p.translation_key: p.pk for p in pages}
    if not keys:
        return {}
    rows = model._default_manager.filter(
        translation_key__in=keys, locale__language_code=code, live=True
    )
    return {keys[row.translation_key]: row for row in rows}


def localized(pages, model=Page) -> list[Page]:
    """`pages` with each one replaced by its live translation in the active language."""
    pages = list(pages)
    found = translations_of(pages, model)
    return [found.get(p.pk, p) for p in pages]


def with_shown(pages, model=Page) -> list[Page]:
    """`pages`, each with `.shown`: what a reader sees of it (its live translation in the
    active language, or the page itself). Links, audience and progress stay on the page."""
    pages = list(pages)
    found = translations_of(pages, model)
    for page in pages:
        page.shown = found.get(page.pk, page)
    return pages


def shown(page, model=None) -> Page:
    """What a reader sees of one default-locale `page` (see `with_shown`)."""
    return with_shown([page], model or type(page))[0].shown


def copy_page_permissions(sender, source_obj, target_obj, **kwargs) -> None:
    """A translation gets its source page's group permissions (`copy_for_translation_done`),
    so the editors of a section may edit its translations too; Wagtail copies none."""
    if not isinstance(source_obj, Page):
        return
    for group_id, permission_id in GroupPagePermission.objects.filter(page=source_obj).values_list(
        "group_id", "permission_id"
    ):
        GroupPagePermission.objects.get_or_create(
            group_id=group_id, page=target_obj, permission_id=permission_id
        )


def publish_translation(page: Page, language_code: str, **fields) -> Page:
    """The live translation of `page` in `language_code` with `fields` set (its parents
    translated too, as aliases until an editor translates them). Idempotent: an existing
    translation is kept as an editor left it."""
    from wagtail.actions.convert_alias import ConvertAliasPageAction

    locale = Locale.objects.get(language_code=language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None and not existing.alias_of_id:
        return existing.specific
    if existing is not None:  # an alias left by translating a child: make it a page of its own
        ConvertAliasPageAction(existing).execute(skip_permission_checks=True)
        copy = type(page).objects.get(pk=existing.pk)
    else:
        copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy


def shown_field(name: str, prefix: str = ""):
    """A modeltranslation field (`name`, through `prefix`, e.g. "survey__") as the active
    language shows it, for `order_by` and `annotate`: its English value where no translation
    was given. modeltranslation rewrites `name` to `name_ru` without that fallback, and not at
    all across a relation."""
    code = _code()
    english = models.F(f"{prefix}{name}_en")
    if code == "en" or code not in dict(settings.LANGUAGES):
        return english
    return Coalesce(
        NullIf(models.F(f"{prefix}{name}_{code}"), models.Value("")),
        english,
        output_field=models.CharField(),
    )
