"""The franchisor's receivables page: ageing, DSO, scope, filters, export, fixed queries."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from finance import receivables
from franchise import access
from tests import factories

from .test_position import charge, pay

pytestmark = pytest.mark.django_db

URL = "/finance/receivables/"


def ledger(unit, *, overdue_days=45, amount="1000", paid="0"):
    today = timezone.localdate()
    charge(
        unit,
        amount,
        today - timedelta(days=overdue_days + 15),
        due=today - timedelta(days=overdue_days),
    )
    charge(unit, "300", today - timedelta(days=2), due=today + timedelta(days=10))
    if Decimal(paid):
        pay(unit, paid, today - timedelta(days=1), number=f"p-{unit.code}")


def test_network_table_buckets_and_dso(network):
    ledger(network.unit, overdue_days=45, paid="400")
    ledger(network.other_unit, overdue_days=100)
    from franchise.models import Franchisee

    table = receivables.network_table(Franchisee.objects.all(), today=timezone.localdate())
    row = table.set_index("code").loc[network.unit.code]
    assert row["balance"] == 90000 and row["d31_60"] == 60000 and row["current"] == 30000
    assert row["overdue"] == 60000
    # Accruals of the last 90 days: both charges (1,300); DSO = 900 / 1,300 × 90.
    assert row["accrued"] == 130000
    assert row["dso"] == round(900 / 1300 * 90, 1)
    other = table.set_index("code").loc[network.other_unit.code]
    assert other["d90_plus"] == 100000 and other["accrued"] == 30000
    regions = receivables.group_totals(table, "region").set_index("region")
    assert regions.loc[network.region.name, "balance"] == 90000
    total = receivables.totals(table)
    assert total["balance"] == 220000 and total["overdue"] == 160000


def test_manager_sees_the_portfolio_lead_the_network(network, client_for):
    ledger(network.unit)
    ledger(network.other_unit)
    with translation.override("en"):
        mine = client_for(network.manager).get(URL).content.decode()
        everyone = client_for(network.lead).get(URL).content.decode()
    assert network.unit.code in mine and network.other_unit.code not in mine
    assert network.unit.code in everyone and network.other_unit.code in everyone
    assert "By account manager" in everyone and "By account manager" not in mine
    assert "1,000.00" in mine
    for person in (network.owner, network.member, network.editor, network.stranger):
        assert client_for(person).get(URL).status_code == 404


def test_finance_staff_see_the_network(network, client_for):
    ledger(network.other_unit)
    accountant = factories.UserFactory(username="accountant")
    accountant.groups.add(access.ensure_groups()[access.FINANCE])
    html = client_for(accountant).get(URL).content.decode()
    assert network.other_unit.code in html


def test_filters_and_bad_input(network, client_for):
    ledger(network.unit, paid="1300")  # settled
    ledger(network.other_unit)
    client = client_for(network.lead)
    page = client.get(URL, {"show": "overdue"})
    codes = [r["code"] for r in page.context["page"]]
    assert codes == [network.other_unit.code]
    page = client.get(URL, {"region": network.region.pk})
    assert [r["code"] for r in page.context["page"]] == [network.unit.code]
    page = client.get(URL, {"q": "kzn"})
    assert [r["code"] for r in page.context["page"]] == [network.unit.code]
    for junk in ({"region": "x"}, {"manager": "999999"}, {"page": "-3"}, {"sort": "drop"}):
        assert client.get(URL, junk).status_code == 200


def test_xlsx_export_by_unit_region_and_manager(network, client_for):
    ledger(network.unit)
    ledger(network.other_unit, overdue_days=100)
    client = client_for(network.lead)
    for by, first in (("", "Code"), ("region", "Region"), ("manager", "Account manager")):
        with translation.override("en"):
            response = client.get(URL, {"format": "xlsx", "by": by})
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][0] == first
        assert len(rows) == 3
        balance = rows[0].index("Balance")
        assert sum(r[balance] for r in rows[1:]) == pytest.approx(2600)
    # A manager's export holds the portfolio only.
    response = client_for(network.manager).get(URL, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [network.unit.code]


def _count(client):
    client.get(URL)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("person", ["manager", "lead"])
def test_query_count_is_the_same_for_few_and_many_units(network, client_for, person):
    ledger(network.unit)
    client = client_for(getattr(network, person))
    few = _count(client)
    for i in range(12):
        unit = factories.UnitFactory(code=f"MNY-{i:03d}", region=network.region)
        access.set_account_manager(unit, network.manager)
        ledger(unit, overdue_days=10 * i, paid="100" if i % 2 else "0")
    many = _count(client)
    assert many == few
    page = client.get(URL)
    assert len(page.context["page"]) == (13 if person == "manager" else 14)
