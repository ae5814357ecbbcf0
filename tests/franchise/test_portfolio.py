"""The portfolio dashboard: scope per role, traffic lights worst first, fixed query count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise import access
from franchise.models import Franchisee
from portal import dashboard
from tests import factories

URL = reverse("franchise:portfolio")


def _suspended_is_red(units):
    """A fake status provider: one query, whatever the number of units."""
    return {
        pk: (dashboard.RED, f"Unit {code} is suspended")
        for pk, code in units.filter(status=Franchisee.Status.SUSPENDED).values_list("pk", "code")
    }


def _closed_is_amber(units):
    closed = units.filter(status=Franchisee.Status.CLOSED).values_list("pk", flat=True)
    return dict.fromkeys(closed, (dashboard.AMBER, "Closed: check the last report"))


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(dashboard, "_status_registry", {})
    dashboard.register_status(
        key="fake-red", label="Fake reports", order=1, statuses=_suspended_is_red, depends_on=()
    )
    dashboard.register_status(
        key="fake-amber", label="Fake tasks", order=2, statuses=_closed_is_amber, depends_on=()
    )


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("manager", 200),
        ("lead", 200),
        ("owner", 404),
        ("member", 404),
        ("editor", 404),
        ("stranger", 404),
        (None, 302),
    ],
)
def test_portfolio_access(network, client_for, providers, person, expected):
    response = client_for(getattr(network, person) if person else None).get(URL)
    assert response.status_code == expected
    if person is None:
        assert response["Location"].startswith(reverse("login"))


def test_manager_sees_only_their_portfolio(network, client_for, providers):
    html = client_for(network.manager).get(URL).content.decode()
    assert network.unit.trading_name in html
    assert network.other_unit.trading_name not in html
    html = client_for(network.other_manager).get(URL).content.decode()
    assert network.other_unit.trading_name in html
    assert network.unit.trading_name not in html


def test_lead_sees_every_unit_and_filters_by_region(network, client_for, providers):
    client = client_for(network.lead)
    html = client.get(URL).content.decode()
    assert network.unit.trading_name in html and network.other_unit.trading_name in html
    html = client.get(URL, {"region": network.other_region.pk}).content.decode()
    assert network.other_unit.trading_name in html
    assert network.unit.trading_name not in html


def test_worst_first_with_reasons(network, client_for, providers):
    fine = factories.UnitFactory(trading_name="AAA fine", region=network.region)
    closed = factories.UnitFactory(
        trading_name="BBB closed", region=network.region, status=Franchisee.Status.CLOSED
    )
    suspended = factories.UnitFactory(
        trading_name="ZZZ suspended", region=network.region, status=Franchisee.Status.SUSPENDED
    )
    for unit in (fine, closed, suspended):
        access.set_account_manager(unit, network.manager)
    html = client_for(network.manager).get(URL).content.decode()
    assert html.index("ZZZ suspended") < html.index("BBB closed") < html.index("AAA fine")
    assert f"Unit {suspended.code} is suspended" in html
    assert "Closed: check the last report" in html
    assert "Fake reports" in html and "Fake tasks" in html
    assert 'class="light light--red"' in html and 'class="light light--amber"' in html

    only_red = client_for(network.manager).get(URL, {"signal": "red"}).content.decode()
    assert "ZZZ suspended" in only_red
    assert "BBB closed" not in only_red and "AAA fine" not in only_red
    attention = client_for(network.manager).get(URL, {"signal": "attention"}).content.decode()
    assert "BBB closed" in attention and "AAA fine" not in attention


def test_without_providers_the_table_still_lists_units(network, client_for, monkeypatch):
    monkeypatch.setattr(dashboard, "_status_registry", {})
    html = client_for(network.manager).get(URL).content.decode()
    assert network.unit.trading_name in html


def _count(client, params=None):
    client.get(URL, params or {})  # warm caches
    cache.clear()  # count the providers' own queries, not their cached lights
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(queries), response


def _add_units(manager, region, n):
    statuses = [Franchisee.Status.ACTIVE, Franchisee.Status.SUSPENDED, Franchisee.Status.CLOSED]
    for i in range(n):
        unit = factories.UnitFactory(region=region, status=statuses[i % 3])
        access.set_account_manager(unit, manager)


@pytest.mark.parametrize("person", ["manager", "lead"])
def test_portfolio_query_count_does_not_grow(network, client_for, providers, person):
    client = client_for(getattr(network, person))
    _add_units(network.manager, network.region, 2)  # 3 units in the portfolio
    few, _ = _count(client)
    _add_units(network.manager, network.region, 57)  # 60, more than one page
    many, response = _count(client)
    assert many == few
    assert response.context["page"].paginator.num_pages == 2
    second, response = _count(client, {"page": 2})
    assert second == few
    assert len(response.context["page"].object_list) > 0


def test_manager_lands_on_the_portfolio(network, client_for):
    assert client_for(network.manager).get(reverse("dashboard"))["Location"] == URL


def test_status_filter(network, client_for, providers):
    suspended = factories.UnitFactory(
        trading_name="Paused bakery", region=network.region, status=Franchisee.Status.SUSPENDED
    )
    access.set_account_manager(suspended, network.manager)
    html = client_for(network.lead).get(URL, {"status": "suspended"}).content.decode()
    assert "Paused bakery" in html and network.unit.trading_name not in html


def test_query_count_with_the_registered_providers(network, client_for):
    """The real providers of reports, training, tasks (whichever are installed) stay fixed."""
    assert dashboard.status_providers(), "no status provider is registered"
    client = client_for(network.manager)
    _add_units(network.manager, network.region, 2)
    few, _ = _count(client)
    _add_units(network.manager, network.region, 57)
    many, _ = _count(client)
    assert many == few


def test_lights_are_reused_until_a_write_and_then_recomputed(network, client_for, providers):
    client = client_for(network.manager)
    client.get(URL)
    client.get(URL)  # the first view also records today's activity (a write)
    with CaptureQueriesContext(connection) as warm:
        html = client.get(URL).content.decode()
    assert "is suspended" not in html
    assert len(warm) < _count(client)[0]

    network.unit.status = Franchisee.Status.SUSPENDED
    network.unit.save()
    html = client.get(URL).content.decode()
    assert f"Unit {network.unit.code} is suspended" in html


def test_cached_page_follows_a_change(network, client_for, providers):
    """The page is kept as HTML under data versions: a unit suspended shows red at once, and
    the manager's cached page never reaches another manager."""
    client = client_for(network.manager)
    first = client.get(URL).content.decode()
    assert "is suspended" not in first
    assert client.get(URL).content.decode() == first  # served from the cache
    Franchisee.objects.filter(pk=network.unit.pk).update(status=Franchisee.Status.SUSPENDED)
    after = client.get(URL).content.decode()
    assert f"Unit {network.unit.code} is suspended" in after
    other = client_for(network.other_manager).get(URL).content.decode()
    assert network.unit.trading_name not in other
