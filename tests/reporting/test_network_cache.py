"""The report analytics page is computed once per scope and data version: a repeat view reads
no report rows, a new report shows at once, and two portfolios never share an entry."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from franchise import access
from tests.factories import UnitFactory

from .conftest import report


def _ranking(client, period):
    url = f"/reports/network/?template=sales&field=revenue&period={period.key}&format=csv"
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode("utf-8-sig")
    value_reads = [q for q in ctx.captured_queries if '"reporting_value"' in q["sql"]]
    return body, value_reads


def test_overview_cached_until_a_report_changes(network, client_for, sales, period):
    report(network.unit, sales, period, revenue=5000, receipts=10, staff=2)
    manager = client_for(network.manager)
    first, reads = _ranking(manager, period)
    assert "5000" in first and reads
    again, reads = _ranking(manager, period)
    assert again == first and reads == []  # served from the cache

    newcomer = UnitFactory(region=network.region, trading_name="Newcomer")
    access.set_account_manager(newcomer, network.manager)
    report(newcomer, sales, period, revenue=7000, receipts=3, staff=1)
    after, reads = _ranking(manager, period)
    assert "Newcomer" in after and "7000" in after and reads

    # Another manager's portfolio is its own entry: none of this manager's units.
    other, _ = _ranking(client_for(network.other_manager), period)
    assert "Newcomer" not in other and "5000" not in other


def test_review_queue_cached_until_a_report_is_sent(network, client_for, sales, period):
    manager = client_for(network.manager)
    first = manager.get("/reports/review/").content.decode()
    assert "Nothing waiting for review" in first
    assert manager.get("/reports/review/").content.decode() == first
    report(network.unit, sales, period, revenue=5, receipts=1, staff=1)
    after = manager.get("/reports/review/").content.decode()
    assert network.unit.code in after and "Nothing waiting for review" not in after
    # The other manager's queue is their own entry.
    other = client_for(network.other_manager).get("/reports/review/").content.decode()
    assert network.unit.code not in other.split("<table", 1)[1]
