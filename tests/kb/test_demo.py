"""The demo knowledge base: enough realistic content, private, idempotent, and every text in
English and Russian: one language per screen, following the interface language."""

import io
import re

import pypdf
import pytest
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
from portal.demo_data import load
from portal.translations import default_locale_q

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
#: A title in both languages, "Касса · Cash register" (outside the document's <title>,
#: which ends in " · " and the site's name).
MIXED = re.compile(r"[а-яё][^<>]* · [^<>]*[a-z]|[a-z][^<>]* · [^<>]*[а-яё]", re.IGNORECASE)


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


def _pdf_text(title):
    with KBDocument.objects.get(title=title).open_file() as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()


@pytest.fixture
def demo(db):
    _seed()


@pytest.fixture
def owner(demo, client_for):
    from django.contrib.auth import get_user_model

    def client(language):
        c = client_for(get_user_model().objects.get(username="owner"))
        c.cookies["django_language"] = language
        return c

    return client


def _html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def _mixed(html):
    return MIXED.search(re.sub(r"<title>.*?</title>", "", html, flags=re.S))


def _titles(language):
    """The demo's article and category titles in `language`, from the data files."""
    articles = [a["title"][language] for a in load("kb", "articles")]
    categories = [c["title"][language] for c in load("kb", "library")["categories"]]
    return articles, categories


def test_demo_knowledge_base(demo):
    first = _counts()
    categories, articles, documents, images, related = first
    assert categories >= 12 and articles >= 80 and documents >= 6 and images >= 8 and related
    english = ArticlePage.objects.filter(default_locale_q())
    assert english.count() == 45
    assert english.exclude(audience_roles="").exists()
    assert english.filter(audience_regions__isnull=False).exists()
    assert CategoryPage.objects.filter(audience_regions__isnull=False).exists()
    index = KnowledgeBaseIndexPage.objects.get(default_locale_q())
    assert index.title == "Knowledge base"
    assert PageViewRestriction.objects.filter(page=index, restriction_type="login").exists()
    assert index.get_workflow().name == "Knowledge base review"
    assert CollectionViewRestriction.objects.filter(collection=pdf_collection()).exists()
    assert all(
        not a.has_unpublished_changes and a.live_revision_id for a in ArticlePage.objects.all()
    )

    assert "monthly revenue report" in _pdf_text("Revenue report guide")
    assert "ежемесячный отчёт о выручке" in _pdf_text("Памятка по отчёту о выручке")

    _every_page_in_english_and_russian()
    _seed()
    assert _counts() == first


def _every_page_in_english_and_russian():
    """The English tree is all English, each page has a live Russian translation in Russian
    (title, summary, tags, body, the files it links), and no title mixes the two."""
    pages = [
        *KnowledgeBaseIndexPage.objects.filter(default_locale_q()),
        *CategoryPage.objects.filter(default_locale_q()),
        *ArticlePage.objects.filter(default_locale_q()),
    ]
    assert len(pages) == 1 + 9 + 45
    for page in pages:
        russian = page.get_translations().filter(locale__language_code="ru").get().specific
        assert russian.live and not russian.alias_of_id, page.slug
        assert not CYRILLIC.search(page.title) and CYRILLIC.search(russian.title), page.slug
        assert " · " not in page.title and " · " not in russian.title
        if isinstance(page, ArticlePage):
            assert not CYRILLIC.search(page.summary) and CYRILLIC.search(russian.summary)
            en_tags = list(page.tags.names())
            ru_tags = list(russian.tags.names())
            assert en_tags and not any(CYRILLIC.search(t) for t in en_tags), page.slug
            assert ru_tags and all(CYRILLIC.search(t) for t in ru_tags), page.slug
            for block, translated in zip(page.body, russian.body, strict=True):
                assert block.block_type == translated.block_type
                if block.block_type == "document":
                    assert not CYRILLIC.search(block.value["document"].title)
                    assert CYRILLIC.search(translated.value["document"].title)
                    assert CYRILLIC.search(translated.value["title"])
                if block.block_type == "image":
                    assert not CYRILLIC.search(block.value["image"].title + block.value["caption"])
                    assert CYRILLIC.search(translated.value["image"].title)
                    assert CYRILLIC.search(translated.value["caption"])
            assert not CYRILLIC.search(str(page.body.raw_data)), page.slug
            # The audience stays on the English page; the reader is routed through it.
            assert russian.audience_roles == page.audience_roles


def _english_interface_shows_only_english(owner):
    english = owner("en")
    ru_articles, ru_categories = _titles("ru")
    index = _html(english, "/kb/")
    assert "<h1>Knowledge base</h1>" in index and "Cash register" in index
    cash = CategoryPage.objects.get(default_locale_q(), slug="cash")
    category = _html(english, cash.url)
    assert "<h1>Cash register</h1>" in category and "Closing the till at the end" in category
    assert "How to open and close a shift on the till" in category
    article = ArticlePage.objects.get(slug="monthly-revenue-report", locale__language_code="en")
    page = _html(english, article.url)
    assert "<h1>How to submit the monthly revenue report</h1>" in page
    assert "How to fill in the report (PDF)" in page and "Enter the number of receipts" in page
    results = _html(english, "/help/search/", q="report")
    assert "How to submit the monthly revenue report" in results
    for html in (index, category, page, results):
        assert not _mixed(html)
        for title in ru_articles + ru_categories:
            assert title not in html, title
    assert "Памятка" not in page and "Касса" not in index


def _russian_interface_shows_only_russian(owner):
    russian = owner("ru")
    en_articles, en_categories = _titles("en")
    index = _html(russian, "/kb/")
    assert "<h1>База знаний</h1>" in index and ">Касса</a>" in index
    cash = CategoryPage.objects.get(default_locale_q(), slug="cash")
    category = _html(russian, cash.url)
    assert "<h1>Касса</h1>" in category and "Закрытие кассы в конце смены" in category
    assert "Как открыть и закрыть смену на кассе" in category
    article = ArticlePage.objects.get(slug="grand-opening-day", locale__language_code="en")
    page = _html(russian, article.url)  # written in English first, read in Russian
    assert "<h1>План дня открытия</h1>" in page and "Испеките весь ассортимент" in page
    revenue = ArticlePage.objects.get(slug="monthly-revenue-report", locale__language_code="en")
    revenue_page = _html(russian, revenue.url)
    assert "Памятка по заполнению отчёта (PDF)" in revenue_page
    pdf = KBDocument.objects.get(title="Памятка по отчёту о выручке")
    assert pdf.url in revenue_page
    assert russian.get(pdf.url).status_code == 200
    results = _html(russian, "/help/search/", q="отчёт")
    assert "Как сдать ежемесячный отчёт о выручке" in results
    english_words = _html(russian, "/help/search/", q="tasting")  # still found, shown in Russian
    assert "Как провести дегустацию" in english_words
    for html in (index, category, page, revenue_page, results, english_words):
        assert not _mixed(html)
        for title in en_articles + en_categories:
            assert f">{title}<" not in html, title
    ural = ArticlePage.objects.get(slug="ural-warehouse-schedule", locale__language_code="en")
    assert russian.get(ural.url).status_code == 404  # the English page's audience


def _tag_options(html):
    form = html.split('name="tag"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', form)


def _search_filter_tags_follow_the_language(owner):
    """The tags of the search filter are the shown pages' tags, in the interface language."""
    english = _tag_options(_html(owner("en"), "/help/search/"))
    russian = _tag_options(_html(owner("ru"), "/help/search/"))
    assert "till" in english and "касса" not in english
    assert "касса" in russian and "till" not in russian
    assert not any(CYRILLIC.search(t) for t in english if t)
    assert all(CYRILLIC.search(t) for t in russian if t)
    # Filtering by a Russian tag finds the article, shown in Russian.
    results = _html(owner("ru"), "/help/search/", q="касса", tag="касса")
    assert "Закрытие кассы в конце смены" in results


def test_one_language_per_screen(owner):
    """Seeded once (a seed takes a while): the index, a category, an article and search
    results in English show only English titles, in Russian only Russian ones, never
    "Касса · Cash register"; the search filter's tags follow the language too."""
    _english_interface_shows_only_english(owner)
    _russian_interface_shows_only_russian(owner)
    _search_filter_tags_follow_the_language(owner)
