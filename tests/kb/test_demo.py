"""The demo knowledge base: enough realistic content, private, idempotent."""

import io

import pypdf
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from kb.models import (
    ArticlePage,
    ArticleRelatedLink,
    CategoryPage,
    KBDocument,
    KnowledgeBaseIndexPage,
)


def pdf_collection():
    return KBDocument.objects.first().collection


def _seed():
    call_command("seed_demo", units=5, stdout=io.StringIO())


def _counts():
    return (
        CategoryPage.objects.count(),
        ArticlePage.objects.count(),
        KBDocument.objects.count(),
        get_image_model().objects.count(),
        ArticleRelatedLink.objects.count(),
    )


def test_demo_knowledge_base(db, client_for):
    from django.contrib.auth import get_user_model

    _seed()
    first = _counts()
    categories, articles, documents, images, related = first
    assert categories >= 6 and articles >= 40 and documents >= 3 and images >= 3 and related
    assert ArticlePage.objects.filter(title__regex=r"[а-я]").count() >= 15
    assert ArticlePage.objects.exclude(title__regex=r"[а-я]").count() >= 15
    assert ArticlePage.objects.exclude(audience_roles="").exists()
    assert ArticlePage.objects.filter(audience_regions__isnull=False).exists()
    assert CategoryPage.objects.filter(audience_regions__isnull=False).exists()
    index = KnowledgeBaseIndexPage.objects.get()
    assert PageViewRestriction.objects.filter(page=index, restriction_type="login").exists()
    assert index.get_workflow().name == "Knowledge base review"
    assert CollectionViewRestriction.objects.filter(collection=pdf_collection()).exists()
    assert all(
        not a.has_unpublished_changes and a.live_revision_id for a in ArticlePage.objects.all()
    )

    pdf = KBDocument.objects.get(title="Памятка по отчёту о выручке")
    with pdf.open_file() as handle:
        text = pypdf.PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert "ежемесячный отчёт о выручке" in text

    _seed()
    assert _counts() == first

    owner = client_for(get_user_model().objects.get(username="owner"))
    html = owner.get("/kb/").content.decode()
    assert "Касса · Cash register" in html
    results = owner.get("/help/search/", {"q": "отчёт"}).content.decode()
    assert "Как сдать ежемесячный отчёт о выручке" in results
    ural = ArticlePage.objects.get(slug="ural-warehouse-schedule")
    assert owner.get(ural.url).status_code == 404
    article = ArticlePage.objects.get(slug="monthly-revenue-report")
    page = owner.get(article.url).content.decode()
    assert "Памятка по заполнению отчёта (PDF)" in page
    assert owner.get(pdf.url).status_code == 200
