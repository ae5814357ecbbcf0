"""The unit dashboard: who may open it, what the blocks show, and its fixed query count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import dashboard
from tests import factories
from tests.news.helpers import make_news, news_index

EXPECTED = {
    "owner": 200,
    "member": 200,
    "manager": 200,
    "lead": 200,
    "other_member": 404,
    "other_manager": 404,
    "editor": 404,
    "stranger": 404,
    None: 302,
}


def _url(unit):
    return reverse("franchise:unit_detail", args=[unit.code])


@pytest.mark.parametrize("person", list(EXPECTED))
def test_dashboard_access(network, client_for, person):
    user = getattr(network, person) if person else None
    response = client_for(user).get(_url(network.unit))
    assert response.status_code == EXPECTED[person]
    if person is None:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 200:
        assert network.unit.trading_name in response.content.decode()


def test_manager_sees_the_dashboard_of_each_portfolio_unit(network, client_for):
    second = factories.UnitFactory(region=network.other_region)
    from franchise import access

    access.set_account_manager(second, network.manager)
    client = client_for(network.manager)
    assert client.get(_url(second)).status_code == 200
    assert client.get(_url(network.other_unit)).status_code == 404


def test_account_manager_contact_card(network, client_for):
    network.manager.full_name = "Марина Орлова"
    network.manager.phone = "+7 900 000-00-00"
    network.manager.save()
    html = client_for(network.member).get(_url(network.unit)).content.decode()
    assert "Your account manager" in html
    assert "Марина Орлова" in html and "tel:+7 900 000-00-00" in html


def test_news_block_lists_unread_news_pinned_first(network, client_for):
    from datetime import date

    make_news("Ordinary news", day=date(2026, 11, 20))
    make_news("Pinned standard", day=date(2026, 1, 1), pinned=True)
    make_news("Ural only", regions=[network.other_region])
    read = make_news("Read already")
    client = client_for(network.member)
    client.get(read.url)
    html = client.get(_url(network.unit)).content.decode()
    assert "dashboard-block--news" in html
    assert html.index("Pinned standard") < html.index("Ordinary news")
    assert "Ural only" not in html and "Read already" not in html
    assert "2 unread" in html
    assert 'href="/news/"' in html  # the block links to its full page


def test_news_block_when_all_read_and_mark_all(network, client_for):
    make_news("One")
    make_news("Two")
    client = client_for(network.member)
    index = news_index()
    client.post(index.url + index.reverse_subpage("mark_read"), {"next": _url(network.unit)})
    html = client.get(_url(network.unit)).content.decode()
    assert "No unread news" in html


def test_news_block_hidden_without_news_index(network, client_for):
    html = client_for(network.member).get(_url(network.unit)).content.decode()
    assert "dashboard-block--news" not in html


def test_registered_blocks_are_rendered_in_order(network, client_for, monkeypatch):
    monkeypatch.setitem(
        dashboard._registry,
        "zz-test",
        dashboard.DashboardBlock(
            "zz-test",
            1,
            "news/dashboard_block.html",
            lambda request, unit: {
                "news_items": [],
                "unread_count": 0,
                "news_url": f"/test-full-page/{unit.code}/",
            },
            (),
        ),
    )
    monkeypatch.setitem(
        dashboard._registry,
        "zz-hidden",
        dashboard.DashboardBlock("zz-hidden", 2, "missing.html", lambda request, unit: None, ()),
    )
    html = client_for(network.owner).get(_url(network.unit)).content.decode()
    assert f'href="/test-full-page/{network.unit.code}/"' in html


def _count(client, url):
    client.get(url)  # warm caches (content types, site root paths, permissions)
    cache.clear()  # but count the blocks' and the shell's own queries, not cached fragments
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("person", ["member", "manager"])
def test_dashboard_query_count_does_not_grow_with_news(network, client_for, person):
    news_index()
    make_news("First")
    client = client_for(getattr(network, person))
    few = _count(client, _url(network.unit))
    for n in range(20):
        make_news(f"News {n}", pinned=n % 3 == 0, regions=[network.region] if n % 2 else [])
    for _ in range(5):
        factories.member_of(network.unit)
    many = _count(client, _url(network.unit))
    assert many == few


def test_whole_dashboard_query_count_with_tasks_requests_and_news(network, client_for):
    """Other parts' blocks are on the same page: their data must not add queries either."""
    from datetime import timedelta

    from django.utils import timezone

    from franchise.tasks_requests import services

    def add(n, start):
        for i in range(start, start + n):
            make_news(f"Item {i}", pinned=i % 4 == 0)
            services.task_create(
                unit=network.unit,
                by=network.manager,
                title=f"Task {i}",
                responsible=network.member,
                due_date=timezone.localdate() + timedelta(days=i - 3),
                checklist=["a"],
            )
            services.request_create(
                unit=network.unit, by=network.owner, kind="materials", subject=f"R{i}", text="x"
            )

    news_index()
    add(1, 0)
    client = client_for(network.owner)
    few = _count(client, _url(network.unit))
    add(12, 1)
    many = _count(client, _url(network.unit))
    assert many == few
    html = client.get(_url(network.unit)).content.decode()
    assert "dashboard-block--tasks" in html and "dashboard-block--news" in html
