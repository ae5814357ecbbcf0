"""KB home, a category, an article and search results: same query count for 15 or 55 articles,
with an empty cache (the uncached path) and with a warm one."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import ArticleRelatedLink
from tests.kb.conftest import make_article, make_category


def _count(client, url):
    """Queries of a request with an empty cache, then of the same request again."""
    client.get(url)  # warm up: sessions
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def _grow(kb, n):
    extra = make_category(kb.index, f"Extra {n}", f"extra-{n}")
    for i in range(n):
        article = make_article(
            kb.cash if i % 2 else extra, f"Article {n}-{i}", "Some text.", slug=f"a-{n}-{i}"
        )
        ArticleRelatedLink.objects.create(article=kb.open_article, target=article, sort_order=i)
        make_category(extra, f"Sub {n}-{i}", f"sub-{n}-{i}") if i < 3 else None


@pytest.mark.parametrize("who", ["owner", "editor"])
def test_query_counts_do_not_grow(kb, network, client_for, who):
    client = client_for(getattr(network, who))
    urls = ["/kb/", kb.cash.url, kb.open_article.url, "/help/search/?q=article+text&page=2"]
    for i in range(12):  # enough hits for a second page of results
        make_article(kb.cash, f"Article {i}", "Some text.", slug=f"base-{i}")
    few = [_count(client, url) for url in urls]
    _grow(kb, 40)
    client.get("/help/search/", {"q": "article"})
    many = [_count(client, url) for url in urls]
    assert few == many


def _translated(kb, n):
    """`n` more articles, each with a live Russian translation, and the pages above them."""
    from tests.translating import translate

    for page, title in ((kb.index, "База знаний"), (kb.cash, "Касса")):
        if not page.get_translations().exists():
            translate(page, title=title)
    for i in range(n):
        article = make_article(kb.cash, f"Article {n}-{i}", "Some text.", slug=f"t-{n}-{i}")
        translate(article, title=f"Статья {n}-{i}", summary="Текст статьи.")


def test_russian_index_costs_at_most_one_query_more(kb, network, client_for):
    """The KB index in Russian, cold (cleared cache) and warm, for few and many articles:
    constant, and on a warm cache at most one query more than in English."""
    english, russian = client_for(network.owner), client_for(network.owner)
    english.cookies["django_language"] = "en"
    russian.cookies["django_language"] = "ru"
    _translated(kb, 3)
    few = {"en": _count(english, "/kb/"), "ru": _count(russian, "/kb/")}
    _translated(kb, 30)
    many = {"en": _count(english, "/kb/"), "ru": _count(russian, "/kb/")}
    assert few == many
    (en_cold, en_warm), (ru_cold, ru_warm) = few["en"], few["ru"]
    # Warm: only Wagtail's lookup of the home page's translation (its `localized`); the
    # index's own translation is cached with its fragments.
    assert ru_warm <= en_warm + 1
    # Cold: that lookup, then one each for the index, the categories and the recent articles.
    assert ru_cold <= en_cold + 4
