"""The unit's position: FIFO open items, overdue and next due, on the ledger page."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from finance import receivables, services, summary
from finance.models import Entry, Payment

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def charge(unit, amount, on, due=None):
    entry = services.entry_adjust(unit=unit, amount=amount, text="charge", user=None, on=on)
    if due:
        # Test data: a later due date, and the unit's summary recomputed as a write would.
        Entry.objects.filter(pk=entry.pk).update(due_on=due)
        summary.refresh([unit.pk])
    return entry


def pay(unit, amount, on, number="1"):
    return services.payment_record(
        payment=Payment(
            unit=unit,
            paid_on=on,
            amount=Decimal(amount),
            number=number,
            fingerprint=f"{number}-{on}",
        )
    )


def reference_fifo(charges, credits):
    """Plain-Python FIFO: credits settle the charges in due order."""
    left = credits
    open_ = []
    for due, amount in sorted(charges):
        used = min(left, amount)
        left -= used
        if amount - used:
            open_.append((due, amount - used))
    return open_


def test_payments_settle_the_oldest_charges_first(network):
    unit = network.unit
    charge(unit, "100", date(2026, 3, 1), due=date(2026, 3, 15))
    charge(unit, "200", date(2026, 4, 1), due=date(2026, 4, 15))
    charge(unit, "300", date(2026, 6, 1), due=date(2026, 6, 20))
    pay(unit, "150", date(2026, 5, 1))
    position = receivables.unit_position(unit, today=TODAY)
    assert position.balance == Decimal("450.00")
    assert [(i.due, i.amount) for i in position.items] == [
        (date(2026, 4, 15), Decimal("150.00")),
        (date(2026, 6, 20), Decimal("300.00")),
    ]
    assert position.overdue == Decimal("150.00")
    assert position.oldest_overdue.days == 61
    assert position.next_due.due == date(2026, 6, 20)
    assert position.next_due.amount == Decimal("300.00")


def test_a_reversed_charge_is_not_open_and_a_prepayment_is_credit(network):
    unit = network.unit
    wrong = charge(unit, "500", date(2026, 5, 1))
    services.entry_reverse(entry=wrong, why="typo")
    charge(unit, "100", date(2026, 5, 2))
    pay(unit, "130", date(2026, 5, 3))
    position = receivables.unit_position(unit, today=TODAY)
    assert position.items == []
    assert position.balance == Decimal("-30.00") and position.credit == Decimal("30.00")


def test_open_items_match_a_plain_fifo_for_random_ledgers(network):
    rng = random.Random(14)
    for round_ in range(5):
        unit = network.unit if round_ % 2 else network.other_unit
        Entry.objects.filter(unit=unit).delete()
        from finance.models import Balance

        Balance.objects.filter(unit=unit).delete()
        Payment.objects.filter(unit=unit).delete()
        charges, credits = [], Decimal(0)
        for i in range(rng.randint(1, 15)):
            on = date(2026, 1, 1) + timedelta(days=rng.randint(0, 150))
            amount = Decimal(rng.randint(1, 100000)) / 100
            if rng.random() < 0.6:
                charge(unit, amount, on)
                charges.append((on, amount))
            else:
                pay(unit, amount, on, number=f"{round_}-{i}")
                credits += amount
        expected = reference_fifo(charges, credits)
        items = receivables.open_items(unit=unit, today=TODAY)
        got = sorted((row.due, receivables.to_money(row.kopecks)) for row in items.itertuples())

        # Charges on one day merge in neither list's order: compare the per-day sums.
        def per_day(pairs):
            out = {}
            for d, a in pairs:
                out[d] = out.get(d, Decimal(0)) + a
            return out

        assert per_day(got) == per_day(expected)
        assert sum((a for _d, a in got), Decimal(0)) == max(
            sum(a for _d, a in charges) - credits, 0
        )


def test_ageing_buckets(network):
    unit = network.unit
    for days_past in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 400):
        due = TODAY - timedelta(days=days_past)
        charge(unit, "10", due - timedelta(days=1), due=due)
    table = receivables.bucketed(receivables.open_items(unit=unit, today=TODAY))
    row = table.loc[unit.pk]
    assert dict(row) == {
        "current": 2000,
        "d1_30": 2000,
        "d31_60": 2000,
        "d61_90": 2000,
        "d90_plus": 2000,
    }


def test_the_ledger_page_shows_overdue_and_next_due(network, client_for):
    unit = network.unit
    today = timezone.localdate()
    charge(unit, "1000", today - timedelta(days=40), due=today - timedelta(days=10))
    charge(unit, "700", today - timedelta(days=2), due=today + timedelta(days=5))
    pay(unit, "400", today - timedelta(days=3))
    with translation.override("en"):
        response = client_for(network.owner).get(f"/finance/u/{unit.code}/")
    html = response.content.decode()
    assert response.context["position"].overdue == Decimal("600.00")
    assert "Overdue" in html and "600.00" in html
    assert "Next payment" in html and "700.00" in html


def test_the_network_pass_finds_old_debt_too(network):
    """Many units: recent charges first, then the whole history of units they do not cover."""
    from franchise.models import Franchisee

    old = TODAY - timedelta(days=400)
    charge(network.unit, "500", old, due=old)  # never paid, older than the horizon
    charge(network.unit, "100", TODAY - timedelta(days=5))
    charge(network.other_unit, "300", old, due=old)
    charge(network.other_unit, "200", TODAY - timedelta(days=10))
    pay(network.other_unit, "350", TODAY - timedelta(days=1))  # old one paid, 150 left
    many = receivables.open_items(units=Franchisee.objects.all(), today=TODAY)
    for unit in (network.unit, network.other_unit):
        one = receivables.open_items(unit=unit, today=TODAY)
        mine = many[many["unit_id"] == unit.pk].reset_index(drop=True)
        assert mine.to_dict("records") == one.to_dict("records")
    assert many[many["unit_id"] == network.unit.pk]["kopecks"].tolist() == [50000, 10000]
    assert many[many["unit_id"] == network.other_unit.pk]["kopecks"].tolist() == [15000]
