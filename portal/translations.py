"""Page translations: one page per subject, its text in the reader's language.

Editors translate a page in the admin ("Translate", wagtail.contrib.simple_translation); the
translation lives in the other locale's tree. The site is still routed through the
default-locale tree (`HomePage.route`), and everything keyed on a page (privacy, audience,
progress, attempts, feedback, read marks) stays on the default-locale page, so a reader who
switches language keeps his place and an untranslated page is simply shown as it is. The
translation only supplies the text: `page.localized` for one page, `translations_of` for a
list.
"""

from django.utils.translation import get_language
from wagtail.models import GroupPagePermission, Locale, Page


def locale_id(language_code: str | None = None) -> int | None:
    """The id of the locale of `language_code` (the active language by default)."""
    code = (language_code or get_language() or "en").split("-")[0]
    return Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()


def default_locale_id() -> int | None:
    from django.conf import settings

    return locale_id(settings.LANGUAGE_CODE)


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
    """Live translations of `pages` in the active language, by the source page's id.

    One query (as `model`, so its own fields come with it); empty when the active language
    is the default one or nothing is translated.
    """
    active = locale_id()
    keys = {p.translation_key: p.pk for p in pages if p.locale_id != active}
    if not keys or active is None:
        return {}
    rows = model._default_manager.filter(translation_key__in=keys, locale_id=active, live=True)
    return {keys[row.translation_key]: row for row in rows}


def localized(pages, model=Page) -> list[Page]:
    """`pages` with each one replaced by its live translation in the active language."""
    pages = list(pages)
    found = translations_of(pages, model)
    return [found.get(p.pk, p) for p in pages]


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
