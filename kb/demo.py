"""Demo knowledge base: categories, 45 articles, pictures and PDFs, each in English and Russian.

The English pages are the default-locale tree the site runs on (they keep the audience and
the privacy); the Russian text goes on their live translations
(`portal.translations.publish_translation`), with a Russian copy of every picture and PDF.

Idempotent: pages are matched by slug under their parent, files by title in the KB collection;
anything that exists is left alone. The index gets Wagtail's "login required" privacy and the KB
collection the same, so neither pages nor files are ever public.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

from portal.demo_data import load
from portal.pdf import render_pdf
from portal.translations import default_locale_q, publish_translation

from . import services
from .models import (
    ArticlePage,
    ArticleRelatedLink,
    CategoryPage,
    KBDocument,
    KnowledgeBaseIndexPage,
)
from .selectors import KB_COLLECTION_NAME

#: The languages of the data files: the default language's text goes on the pages the site
#: runs on (and keeps their audience and privacy), the other's on their live translations.
DEFAULT_LANGUAGE, TRANSLATED = "en", "ru"


def _in(language: str, value):
    """`value` of a data file in `language`: each {en: ..., ru: ...} replaced by one text."""
    if isinstance(value, dict):
        if set(value) == {DEFAULT_LANGUAGE, TRANSLATED}:
            return value[language]
        return {k: _in(language, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_in(language, v) for v in value]
    return value


@contextmanager
def _indexed_once():
    """The KB pages saved inside are search- and reference-indexed once each, at the end.

    A demo page is saved three or four times (created, revised, published; copied for its
    translation), and Wagtail would index it on every save: most of the seed's time.
    """
    from django.db.models.signals import post_save
    from modelsearch import signal_handlers
    from modelsearch.index import insert_or_update_object
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update

    models = (KnowledgeBaseIndexPage, CategoryPage, ArticlePage)
    saved: dict[type, set[int]] = {}

    def remember(sender, instance, raw=False, **kwargs):
        if not raw:
            saved.setdefault(sender, set()).add(instance.pk)

    searched = []
    for model in models:
        if post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model):
            searched.append(model)
        post_save.connect(remember, sender=model, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.disconnect(remember, sender=model)
        for model in searched:
            post_save.connect(signal_handlers.post_save_signal_handler, sender=model)
    for model, ids in saved.items():
        for page in model.objects.filter(pk__in=ids):
            ReferenceIndex.create_or_update_for_object(page)
            if model in searched:
                insert_or_update_object(page)


def seed(ctx) -> None:
    with _indexed_once():
        _seed(ctx)


def _seed(ctx) -> None:
    from franchise.models import Region
    from portal.models import HomePage

    home = HomePage.objects.filter(default_locale_q(), depth=2).first()
    if home is None:
        ctx.log("kb: no home page, skipped")
        return
    editor = ctx.people.get("editor")
    library = load("kb", "library")
    index = KnowledgeBaseIndexPage.objects.filter(default_locale_q()).first()
    if index is None:
        index = home.add_child(
            instance=KnowledgeBaseIndexPage(slug="kb", **_in(DEFAULT_LANGUAGE, library["index"]))
        )
    if not PageViewRestriction.objects.filter(page=index).exists():
        PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    collection = _collection()
    services.editor_permissions_grant(index=index, collection=collection)
    _moderation_workflow(index)

    home_region = ctx.unit_objects[0].region if ctx.unit_objects else None
    # A region none of the demo owner's units is in (the owner runs units 1 and 2).
    owner_regions = {u.region_id for u in ctx.unit_objects[:2]}
    others = Region.objects.exclude(pk__in=owner_regions)
    other_region = others.filter(code="ural").first() or others.order_by("code").first()
    audiences = {
        "home_region": {"regions": [home_region] if home_region else [], "roles": ""},
        "other_region": {"regions": [other_region] if other_region else [], "roles": ""},
        "owners": {"regions": [], "roles": "owner"},
        None: {"regions": [], "roles": ""},
    }

    # Every picture and PDF once per language: a body links the files of its own language.
    files = {}
    for language in (DEFAULT_LANGUAGE, TRANSLATED):
        images = {
            key: _image(
                collection, f"{key}-{language}", colour=tuple(spec["colour"]), **spec[language]
            )
            for key, spec in library["images"].items()
        }
        documents = {
            key: _document(collection, spec.get("blank_rows", 0), **spec[language])
            for key, spec in library["documents"].items()
        }
        files[language] = (images, documents)

    categories: dict[str, CategoryPage] = {}
    category_specs = library["categories"]
    for spec in category_specs:
        slug, audience = spec["slug"], spec["audience"]
        parent = categories[spec["parent"]] if spec["parent"] else index
        category = CategoryPage.objects.child_of(parent).filter(slug=slug).first()
        if category is None:
            category = CategoryPage(
                slug=slug,
                title=spec["title"][DEFAULT_LANGUAGE],
                intro=spec["intro"][DEFAULT_LANGUAGE],
            )
            category.audience_roles = audiences[audience]["roles"]
            category.audience_regions.set(audiences[audience]["regions"])
            parent.add_child(instance=category)
        categories[slug] = category

    existing = {
        (p.path[: -ArticlePage.steplen], p.slug): p
        for p in ArticlePage.objects.filter(default_locale_q()).only("path", "slug")
    }
    article_specs = load("kb", "articles")
    articles: list[tuple[ArticlePage, dict]] = []
    new_articles = []
    for spec in article_specs:
        parent, audience = categories[spec["category"]], audiences[spec["audience"]]
        article = existing.get((parent.path, spec["slug"]))
        if article is None:
            text = _in(DEFAULT_LANGUAGE, spec)
            article = ArticlePage(
                title=text["title"],
                slug=spec["slug"],
                summary=text["summary"],
                body=[_block(item, *files[DEFAULT_LANGUAGE]) for item in text["body"]],
                article_owner=editor,
                last_reviewed_on=ctx.today - relativedelta(months=spec["reviewed_months_ago"]),
                audience_roles=audience["roles"],
            )
            article.audience_regions.set(audience["regions"])
            article.tags.set(text["tags"])
            parent.add_child(instance=article)
            new_articles.append(article)
        articles.append((article, spec))
    related = _related_by_tag(new_articles)
    for article in new_articles:
        # Related links go into the first revision, so a later publish keeps them.
        article.related_links = [
            ArticleRelatedLink(target_id=target, sort_order=n)
            for n, target in enumerate(related.get(article.pk, []))
        ]
        article.save_revision(user=editor, log_action=False).publish(user=editor, log_action=False)
    translated = _translate(
        library,
        index,
        [(categories[spec["slug"]], spec) for spec in category_specs],
        articles,
        files[TRANSLATED],
    )
    ctx.log(
        f"kb: {len(categories)} categories, {len(articles)} articles "
        f"({len(new_articles)} new), in {DEFAULT_LANGUAGE} and {TRANSLATED} "
        f"({translated} new translations)"
    )


def _translate(library, index, categories, articles, files) -> int:
    """The index, categories and articles in the translated language, as live translations
    (parents first); pages already translated are left as they are. Returns how many were new."""
    from taggit.models import Tag
    from wagtail.models import Locale, Page

    from .models import ArticleTag

    locale = Locale.objects.filter(language_code=TRANSLATED).first()
    if locale is None:
        return 0
    done = set(
        Page.objects.filter(locale=locale, alias_of__isnull=True).values_list(
            "translation_key", flat=True
        )
    )
    made = 0

    def publish(page, **fields) -> None:
        nonlocal made
        if page.translation_key not in done:
            publish_translation(page, TRANSLATED, **fields)
            made += 1

    publish(index, **_in(TRANSLATED, library["index"]))
    for category, spec in categories:
        publish(category, title=spec["title"][TRANSLATED], intro=spec["intro"][TRANSLATED])
    tags: dict[str, Tag] = {}
    for article, spec in articles:
        if article.translation_key in done:
            continue
        text = _in(TRANSLATED, spec)
        for name in text["tags"]:
            if name not in tags:
                tags[name] = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
        publish(
            article,
            title=text["title"],
            summary=text["summary"],
            body=[_block(item, *files) for item in text["body"]],
            # The translation's own tags: what the search filter lists in its language.
            tagged_items=[ArticleTag(tag=tags[name]) for name in text["tags"]],
        )
    return made


def _moderation_workflow(index) -> None:
    """Changes to KB pages go through one approval step by the Editors group."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from franchise import access

    if WorkflowPage.objects.filter(page=index).exists():
        return
    workflow, _ = Workflow.objects.get_or_create(name="Knowledge base review")
    task, created = GroupApprovalTask.objects.get_or_create(name="Knowledge base editor approval")
    if created:
        task.groups.set([access.ensure_groups()[access.EDITORS]])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.create(page=index, workflow=workflow)


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=KB_COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=KB_COLLECTION_NAME)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def _image(collection, key, title, colour, lines):
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    Image = get_image_model()
    found = Image.objects.filter(collection=collection, title=title).first()
    if found:
        return found
    picture = PILImage.new("RGB", (800, 450), colour)
    draw = ImageDraw.Draw(picture)
    try:
        from django.contrib.staticfiles import finders

        font = ImageFont.truetype(finders.find("portal/fonts/DejaVuSans.ttf"), 36)
    except (OSError, TypeError):
        font = ImageFont.load_default()
    draw.rectangle([30, 30, 770, 420], outline=(255, 255, 255), width=4)
    for n, line in enumerate([title, *lines]):
        draw.text((60, 70 + n * 70), line, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = Image(title=title, collection=collection)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"kb-{key}.png")
    image.save()
    return image


def _document(collection, blank_rows, title, heading, rows) -> KBDocument:
    found = KBDocument.objects.filter(collection=collection, title=title).first()
    if found:
        return found
    rows = [*rows, *([[""] * len(rows[0])] * blank_rows)]
    pdf = render_pdf("kb/pdf/attachment.html", {"title": heading, "rows": rows})
    document = KBDocument(title=title, collection=collection)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:40]
    document.file.save(f"{slug}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def _block(item, images, documents):
    kind = item[0]
    if kind == "p":
        return ("text", RichText(item[1]))
    if kind in ("h", "h3"):
        return ("heading", {"text": item[1], "level": "h3" if kind == "h3" else "h2"})
    if kind in ("info", "warn"):
        callout = "warning" if kind == "warn" else "info"
        return ("callout", {"kind": callout, "text": RichText(f"<p>{item[1]}</p>")})
    if kind == "steps":
        return ("steps", {"steps": [{"title": t, "text": RichText("")} for t in item[1]]})
    if kind == "table":
        return (
            "table",
            {"data": item[1], "first_row_is_table_header": True, "first_col_is_header": False},
        )
    if kind == "img":
        return ("image", {"image": images[item[1]], "caption": item[2]})
    if kind == "doc":
        return ("document", {"document": documents[item[1]], "title": item[2]})
    raise ValueError(kind)


def _related_by_tag(articles) -> dict[int, list[int]]:
    """Articles sharing a tag point at each other, up to three each."""
    by_tag: dict[str, list[int]] = {}
    for article in articles:
        for tag in article.tags.all():
            by_tag.setdefault(tag.name, []).append(article.pk)
    links: dict[int, list[int]] = {}
    for ids in by_tag.values():
        for a in ids:
            for b in ids:
                if a != b and b not in links.setdefault(a, []) and len(links[a]) < 3:
                    links[a].append(b)
    return links
