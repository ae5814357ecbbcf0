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
