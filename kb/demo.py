"""Demo knowledge base: categories, 45 articles in Russian and English, pictures and PDFs.

Idempotent: pages are matched by slug under their parent, files by title in the KB collection;
anything that exists is left alone. The index gets Wagtail's "login required" privacy and the KB
collection the same, so neither pages nor files are ever public.
"""

from __future__ import annotations

import io

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

from portal.demo_data import load
from portal.pdf import render_pdf
from portal.translations import default_locale_q

from . import services
from .models import (
    ArticlePage,
    ArticleRelatedLink,
    CategoryPage,
    KBDocument,
    KnowledgeBaseIndexPage,
)
from .selectors import KB_COLLECTION_NAME


def seed(ctx) -> None:
    from franchise.models import Region
    from portal.models import HomePage

    home = HomePage.objects.filter(default_locale_q(), depth=2).first()
    if home is None:
        ctx.log("kb: no home page, skipped")
        return
    editor = ctx.people.get("editor")
    index = KnowledgeBaseIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=KnowledgeBaseIndexPage(
                title="База знаний · Knowledge base",
                slug="kb",
                intro="<p>Ответы на частые вопросы: открытие, касса, санитария, маркетинг, "
                "отчёты, IT. Answers in Russian and English.</p>",
            )
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

    library = load("kb", "library")
    images = {
        key: _image(collection, key, spec["title"], tuple(spec["colour"]), spec["lines"])
        for key, spec in library["images"].items()
    }
    documents = {
        key: _document(collection, spec["title"], spec["heading"], spec["rows"])
        for key, spec in library["documents"].items()
    }

    categories: dict[str, CategoryPage] = {}
    for spec in library["categories"]:
        slug, audience = spec["slug"], spec["audience"]
        parent = categories[spec["parent"]] if spec["parent"] else index
        category = CategoryPage.objects.child_of(parent).filter(slug=slug).first()
        if category is None:
            category = CategoryPage(title=spec["title"], slug=slug, intro=spec["intro"])
            category.audience_roles = audiences[audience]["roles"]
            category.audience_regions.set(audiences[audience]["regions"])
            parent.add_child(instance=category)
        categories[slug] = category

    existing = {
        (p.path[: -ArticlePage.steplen], p.slug) for p in ArticlePage.objects.only("path", "slug")
    }
    new_articles = []
    for spec in load("kb", "articles"):
        parent, audience = categories[spec["category"]], audiences[spec["audience"]]
        if (parent.path, spec["slug"]) in existing:
            continue
        article = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=[_block(item, images, documents) for item in spec["body"]],
            article_owner=editor,
            last_reviewed_on=ctx.today - relativedelta(months=spec["reviewed_months_ago"]),
            audience_roles=audience["roles"],
        )
        article.audience_regions.set(audience["regions"])
        article.tags.set(spec["tags"])
        parent.add_child(instance=article)
        new_articles.append(article)
    related = _related_by_tag(new_articles)
    for article in new_articles:
        # Related links go into the first revision, so a later publish keeps them.
        article.related_links = [
            ArticleRelatedLink(target_id=target, sort_order=n)
            for n, target in enumerate(related.get(article.pk, []))
        ]
        article.save_revision(user=editor, log_action=False).publish(user=editor, log_action=False)
    ctx.log(
        f"kb: {len(categories)} categories, {ArticlePage.objects.count()} articles "
        f"({len(new_articles)} new)"
    )


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


def _document(collection, title, heading, rows) -> KBDocument:
    found = KBDocument.objects.filter(collection=collection, title=title).first()
    if found:
        return found
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
