"""Query counts of the reports page, review queue, dashboard block and traffic lights do not
grow with the number of units or reports."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from franchise import access
from portal import dashboard
from reporting.blocks import dashboard_context, portfolio_statuses
from tests.factories import UnitFactory

from .conftest import make_template, report


def _count(client, url):
    client.get(url)  # warm up (session, process caches)
    cache.clear()  # but count the uncached shell
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(network, sales, period, units):
    for i in range(units):
        unit = UnitFactory(region=network.region)
        access.set_account_manager(unit, network.manager)
        if i % 3:  # every third unit has not reported
            report(unit, sales, period, revenue=100 + i, receipts=3, staff=2)
    for n in range(2, 5):
        report(network.unit, sales, period.shifted(-n), revenue=100 + n, receipts=3, staff=2)


def test_reports_page_and_review_queue_constant(network, client_for, sales, period):
    make_template(slug="quality", kind="quarterly", name="Quality")
    owner, manager = client_for(network.owner), client_for(network.manager)
    unit_url = f"/reports/u/{network.unit.code}/"
    # One row of each list to start with: one report to review, one unit missing.
    report(network.unit, sales, period, revenue=1, receipts=1, staff=1)
    access.set_account_manager(UnitFactory(region=network.region), network.manager)
    few = (
        _count(owner, unit_url),
        _count(manager, "/reports/review/"),
        _count(manager, "/reports/late/"),
    )
    _grow(network, sales, period, 12)
    many = (
        _count(owner, unit_url),
        _count(manager, "/reports/review/"),
        _count(manager, "/reports/late/"),
    )
    assert few == many


def test_form_and_network_pages_constant(network, client_for, sales, period):
    owner, manager = client_for(network.owner), client_for(network.manager)
    form = f"/reports/u/{network.unit.code}/sales/{period.key}/"
    trends = f"/reports/u/{network.unit.code}/analytics/"
    report(network.unit, sales, period.previous(), revenue=1, receipts=1, staff=1)
    few = (_count(owner, form), _count(manager, "/reports/network/"), _count(owner, trends))
    _grow(network, sales, period, 12)
    many = (_count(owner, form), _count(manager, "/reports/network/"), _count(owner, trends))
    assert few == many


def test_dashboard_block_and_statuses_constant(network, rf, sales, period):
    from franchise.models import Franchisee

    assert "reports" in {b.key for b in dashboard._registry.values()}
    request = rf.get("/")
    request.user = network.owner
    report(network.unit, sales, period.previous(), revenue=100, receipts=2, staff=1)
    report(network.unit, sales, period, revenue=150, receipts=3, staff=1)
    with CaptureQueriesContext(connection) as few:
        context = dashboard_context(request, network.unit)
        portfolio_statuses(Franchisee.objects.all())
    figures = {f["label"]: f for f in context["figures"]["figures"]}
    assert figures["Revenue"]["value"] == 150
    assert figures["Revenue"]["change"] == 0.5
    _grow(network, sales, period, 10)
    with CaptureQueriesContext(connection) as many:
        dashboard_context(request, network.unit)
        statuses = portfolio_statuses(Franchisee.objects.all())
    assert len(few.captured_queries) == len(many.captured_queries)
    assert network.unit.pk not in statuses  # submitted: green
    due = period.due_date(sales.due_days)
    if timezone.localdate() > due:
        assert statuses[network.other_unit.pk][0] in ("amber", "red")
