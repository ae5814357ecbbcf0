"""News: audience on serving and in lists, read marks, navigation, page-type rules."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from franchise.models import AuditEvent
from news.models import NewsIndexPage, NewsPage, NewsRead
from news.selectors import news_list, unread_news
from portal.models import HomePage
from portal.translations import default_locale_q
from tests.news.helpers import make_news, news_index

# Who sees a news item limited to the first unit's region (None: anonymous visitor).
REGION_AUDIENCE = {
    "owner": 200,
    "member": 200,
    "manager": 200,
    "lead": 200,
    "editor": 200,
    "other_member": 404,
    "other_manager": 404,
    "stranger": 404,
    None: 302,
}


@pytest.fixture
def regional(network):
    return make_news("Volga price list", regions=[network.region])


@pytest.mark.parametrize("person", list(REGION_AUDIENCE))
def test_region_limited_news_is_served_only_to_its_audience(network, client_for, regional, person):
    user = getattr(network, person) if person else None
    response = client_for(user).get(regional.url)
    assert response.status_code == REGION_AUDIENCE[person]
    if person is None:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 200:
        assert "Body of Volga price list" in response.content.decode()


@pytest.mark.parametrize("person", [p for p in REGION_AUDIENCE if p])
def test_region_limited_news_is_listed_only_to_its_audience(network, client_for, regional, person):
    make_news("For everyone")
    html = client_for(getattr(network, person)).get(news_index().url).content.decode()
    assert "For everyone" in html
    assert ("Volga price list" in html) is (REGION_AUDIENCE[person] == 200)
    listed = {p.title for p in news_list(getattr(network, person))}
    assert ("Volga price list" in listed) is (REGION_AUDIENCE[person] == 200)


def test_news_index_needs_sign_in(network, client_for):
    make_news("For everyone")
    response = client_for(None).get(news_index().url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_role_limited_news(network, client_for):
    owners_only = make_news("Owners meeting", roles="owner")
    assert client_for(network.owner).get(owners_only.url).status_code == 200
    assert client_for(network.member).get(owners_only.url).status_code == 404
    assert client_for(network.manager).get(owners_only.url).status_code == 404
    assert client_for(network.editor).get(owners_only.url).status_code == 200
    assert "Owners meeting" not in client_for(network.member).get(news_index().url).content.decode()


def test_refused_news_is_audited(network, client_for, regional):
    client_for(network.other_member).get(regional.url)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert event.actor == network.other_member
    assert event.target == f"page:{regional.pk}"


def test_draft_news_is_neither_served_nor_listed(network, client_for):
    draft = make_news("Not yet", live=False)
    assert client_for(network.member).get(draft.url or "/news/not-yet/").status_code == 404
    assert list(news_list(network.member)) == []


def test_opening_news_marks_it_read_once(network, client_for):
    item = make_news("Hygiene audit")
    client = client_for(network.member)
    assert [p.title for p in unread_news(network.member)[0]] == ["Hygiene audit"]
    client.get(item.url)
    client.get(item.url)
    assert NewsRead.objects.filter(user=network.member, page=item).count() == 1
    assert unread_news(network.member) == ([], 0)
    # Read marks are personal.
    assert unread_news(network.owner)[1] == 1


def test_list_shows_unread_state_and_filters(network, client_for):
    read = make_news("Already read")
    make_news("Still new")
    client = client_for(network.member)
    client.get(read.url)
    html = client.get(news_index().url + "?unread=1").content.decode()
    assert "Still new" in html and "Already read" not in html
    items = {p.title: p.is_read for p in news_list(network.member)}
    assert items == {"Already read": True, "Still new": False}


def test_pinned_first_then_newest(network):
    from datetime import date

    make_news("Old", day=date(2026, 1, 1))
    make_news("Newest", day=date(2026, 11, 20))
    make_news("Pinned old", day=date(2025, 5, 1), pinned=True)
    assert [p.title for p in news_list(network.member)] == ["Pinned old", "Newest", "Old"]
    assert [p.title for p in unread_news(network.member, limit=2)[0]] == ["Pinned old", "Newest"]
    assert unread_news(network.member, limit=2)[1] == 3


def test_mark_all_read_covers_only_the_readers_audience(network, client_for, regional):
    make_news("For everyone")
    index = news_index()
    url = index.url + index.reverse_subpage("mark_read")
    assert client_for(network.other_member).get(url).status_code == 405
    response = client_for(network.other_member).post(url, {"next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    marked = set(NewsRead.objects.values_list("user__username", "page__title"))
    assert marked == {("other_member", "For everyone")}
    assert client_for(None).post(url).status_code == 302
    assert NewsRead.objects.count() == 1


def test_mark_all_read_refuses_foreign_redirects(network, client_for):
    make_news("For everyone")
    index = news_index()
    url = index.url + index.reverse_subpage("mark_read")
    response = client_for(network.member).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == index.url


def test_news_navigation_entry(network, client_for):
    html = client_for(network.member).get(reverse("franchise:unit_detail", args=["KZN-001"]))
    assert 'href="/news/"' not in html.content.decode()
    news_index()
    html = client_for(network.member).get(reverse("franchise:unit_detail", args=["KZN-001"]))
    assert 'href="/news/"' in html.content.decode()


def _count_index_queries(client, url):
    client.get(url)
    cache.clear()  # count the uncached shell, as on a first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_news_list_query_count_does_not_grow(network, client_for):
    make_news("First", regions=[network.region])
    make_news("Second", pinned=True)
    client = client_for(network.member)
    few = _count_index_queries(client, news_index().url)
    for n in range(15):
        make_news(f"More news {n}", regions=[network.region] if n % 2 else [], pinned=n % 5 == 0)
    many = _count_index_queries(client, news_index().url)
    assert many == few


class NewsPageRulesTests(WagtailPageTestCase):
    def test_index_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, NewsIndexPage)

    def test_news_lives_under_the_index_only(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)

    def test_one_index_only(self):
        news_index()
        self.assertFalse(NewsIndexPage.can_create_at(HomePage.objects.get(default_locale_q())))


def test_news_section_setup_is_idempotent_and_lets_editors_write(network, client_for):
    from wagtail.models import GroupPagePermission, PageViewRestriction

    from news.services import news_index_setup

    index = news_index_setup()
    assert news_index_setup().pk == index.pk
    assert PageViewRestriction.objects.filter(page=index).count() == 1
    assert GroupPagePermission.objects.filter(page=index, group__name="Editors").count() == 5
    add_url = reverse("wagtailadmin_pages:add", args=["news", "newspage", index.pk])
    assert client_for(network.editor).get(add_url).status_code == 200
    assert client_for(network.manager).get(add_url).status_code in {302, 403}
    # Wagtail's page privacy and the news audience both hold for anonymous visitors.
    item = make_news("For everyone", regions=[network.region], roles="owner")
    edit_url = reverse("wagtailadmin_pages:edit", args=[item.pk])
    html = client_for(network.editor).get(edit_url).content.decode()
    assert "audience_regions" in html and "audience_roles" in html and "pinned" in html
    assert client_for(None).get("/news/for-everyone/").status_code == 302
