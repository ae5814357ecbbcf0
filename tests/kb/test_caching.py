"""The article page's cached fragments: fewer queries, never stale, never across audiences."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from kb import services
from kb.models import ArticlePage, ArticleRelatedLink
from tests.kb.conftest import make_article


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_second_view_runs_fewer_queries_and_shows_the_same_article(kb, network, client_for):
    client = client_for(network.owner)
    client.get("/kb/")  # the session, the site, the header's first day of activity
    cache.clear()
    first, cold = _get(client, kb.open_article.url)
    second, warm = _get(client, kb.open_article.url)
    assert warm < cold
    for html in (first, second):
        assert "Count the cash drawer at the end of every shift." in html
        assert 'href="/kb/cash/">Cash register</a>' in html
        assert "Volga delivery schedule" in html  # the related article, same audience
        assert 'name="csrfmiddlewaretoken"' in html


def test_a_published_revision_shows_at_once(kb, network, client_for):
    client = client_for(network.owner)
    assert "Count the cash drawer" in client.get(kb.open_article.url).content.decode()
    services.editor_permissions_grant(index=kb.index, collection=kb.collection)
    article = ArticlePage.objects.get(pk=kb.open_article.pk)
    article.body = [("text", RichText("<p>Two people count the drawer together.</p>"))]
    article.save_revision(user=network.editor).publish(user=network.editor)
    html = client.get(kb.open_article.url).content.decode()
    assert "Two people count the drawer together." in html
    assert "Count the cash drawer" not in html


def test_a_new_related_article_and_a_new_vote_show_at_once(kb, network, client_for):
    client = client_for(network.owner)
    client.get(kb.open_article.url)
    extra = make_article(kb.cash, "Opening the till", "Check the float.", slug="open-till")
    ArticleRelatedLink.objects.create(article=kb.open_article, target=extra, sort_order=1)
    client_for(network.member).post(
        f"/help/articles/{kb.open_article.pk}/feedback/", {"helpful": "yes"}
    )
    html = client.get(kb.open_article.url).content.decode()
    assert "Opening the till" in html
    assert "1 found it helpful, 0 did not." in html


def test_audiences_never_share_related_articles(kb, network, client_for):
    """The open article links a Volga-only article: Volga readers see it, Ural readers never."""
    volga, ural = client_for(network.owner), client_for(network.other_member)
    for order in ((volga, ural), (ural, volga)):
        cache.clear()
        pages = {id(c): c.get(kb.open_article.url).content.decode() for c in order}
        assert "Volga delivery schedule" in pages[id(volga)]
        assert "Volga delivery schedule" not in pages[id(ural)]
        assert "Closing the till" in pages[id(ural)]


def test_feedback_box_is_per_person(kb, network, client_for):
    owner, member = client_for(network.owner), client_for(network.member)  # same audience
    owner.post(f"/help/articles/{kb.open_article.pk}/feedback/", {"helpful": "no"})
    assert "You answered: no." in owner.get(kb.open_article.url).content.decode()
    assert "You answered" not in member.get(kb.open_article.url).content.decode()


def test_audience_change_applies_at_once(kb, network, client_for):
    client = client_for(network.other_member)
    assert client.get(kb.open_article.url).status_code == 200
    article = ArticlePage.objects.get(pk=kb.open_article.pk)
    article.audience_regions.set([network.region])
    article.save_revision().publish()
    assert client.get(kb.open_article.url).status_code == 404


def test_privacy_change_applies_at_once(kb, network, client_for):
    client = client_for(network.owner)
    assert client.get(kb.open_article.url).status_code == 200
    PageViewRestriction.objects.create(
        page=kb.cash, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(kb.open_article.url)
    assert response.status_code == 200 and "password" in response.content.decode().lower()
    assert "Count the cash drawer" not in response.content.decode()


def test_routing_finds_only_live_pages_of_this_tree(kb, network, client_for):
    client = client_for(network.owner)
    assert client.get("/kb/cash/till/").status_code == 200
    assert client.get("/kb/cash/").status_code == 200
    assert client.get("/kb/cash/nothing/").status_code == 404
    assert client.get("/kb/volga-promo/till/").status_code == 404  # wrong parent
    assert client.get("/kb/till/").status_code == 404
    kb.open_article.unpublish()
    assert client.get("/kb/cash/till/").status_code == 404


def test_index_and_category_show_new_articles_at_once(kb, network, client_for):
    client = client_for(network.owner)
    assert "Fresh answer" not in client.get("/kb/").content.decode()
    assert "Fresh answer" not in client.get(kb.cash.url).content.decode()
    make_article(kb.cash, "Fresh answer", "New.", slug="fresh")
    assert "Fresh answer" in client.get("/kb/").content.decode()
    assert "Fresh answer" in client.get(kb.cash.url).content.decode()


def test_index_and_category_never_cross_audiences(kb, network, client_for):
    volga, ural = client_for(network.owner), client_for(network.other_member)
    for order in ((volga, ural), (ural, volga)):
        cache.clear()
        index = {id(c): c.get("/kb/").content.decode() for c in order}
        cash = {id(c): c.get(kb.cash.url).content.decode() for c in order}
        assert "Volga promotions" in index[id(volga)]
        assert "Volga promotions" not in index[id(ural)]
        assert "Volga delivery schedule" in cash[id(volga)]
        assert "Volga delivery schedule" not in cash[id(ural)]
        assert "Closing the till" in cash[id(ural)]


def test_recently_read_is_per_person(kb, network, client_for):
    owner, member = client_for(network.owner), client_for(network.member)  # same audience
    owner.get(kb.open_article.url)
    assert "Closing the till" in owner.get("/kb/").content.decode().split('id="kb-viewed"')[1]
    assert "Closing the till" not in member.get("/kb/").content.decode().split('id="kb-viewed"')[1]


def test_category_pages_are_cached_per_page_number(kb, network, client_for):
    for i in range(25):
        make_article(kb.cash, f"Numbered {i:02}", "Text.", slug=f"numbered-{i}")
    client = client_for(network.owner)
    first = client.get(kb.cash.url).content.decode()
    second = client.get(kb.cash.url, {"page": 2}).content.decode()
    assert "Numbered 00" in first and "Numbered 00" not in second
    assert "Page 2 of 2" in second
