"""The unit's ledger page: what the owner sees, other units' people get 404, fixed queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from finance import services

pytestmark = pytest.mark.django_db

URL = "/finance/u/{}/"


def test_owner_sees_the_accrual_with_its_explanation(network, sales, period, client_for):
    from .conftest import approved, make_agreement

    make_agreement(network.unit, royalty="6", minimum="50000", marketing=None)
    approved(network.unit, sales, period, network.manager, revenue=1250000)
    with translation.override("en"):
        html = client_for(network.owner).get(URL.format(network.unit.code)).content.decode()
    assert "75,000.00" in html
    assert "× 6" in html and "not applied" in html
    assert client_for(network.other_member).get(URL.format(network.unit.code)).status_code == 404


def test_statement_range_adds_up(network, client_for):
    for day, amount in [(1, "100"), (10, "250.50"), (20, "-50")]:
        services.entry_adjust(
            unit=network.unit, amount=amount, text="t", user=None, on=date(2026, 1, day)
        )
    response = client_for(network.owner).get(
        URL.format(network.unit.code), {"from": "2026-01-05", "to": "2026-01-31"}
    )
    statement = response.context["statement"]
    assert statement.opening == Decimal("100.00")
    assert statement.closing == Decimal("300.50") == statement.balance
    assert statement.closing - statement.opening == sum(r.amount for r in statement.rows)


#: Shell (session, user, navigation, audit-free unit lookup), the statement's three reads and
#: the position's two (balance row, open charges).
LEDGER_QUERIES = 10


@pytest.mark.parametrize("count", [1, 50])
def test_ledger_query_count_is_fixed(network, client_for, django_assert_num_queries, count):
    for i in range(count):
        services.entry_adjust(unit=network.unit, amount=i + 1, text="t", user=None)
    client = client_for(network.owner)
    client.get(URL.format(network.unit.code))  # warm the session and rights caches
    with django_assert_num_queries(LEDGER_QUERIES):
        client.get(URL.format(network.unit.code))
