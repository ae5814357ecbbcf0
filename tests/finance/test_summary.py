"""The per-unit summary kept by ledger writes equals a recomputation from the ledger: open items
by a plain FIFO, accruals by day, for random ledgers of two units written one entry at a time,
in bulk, with reversals and payments; the backfill fills it the same way."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from finance import services, summary
from finance.models import Balance, DayAccrual, Entry, OpenItem, Payment
from tests import factories

START = date(2026, 1, 1)
amounts = st.decimals(min_value="0.01", max_value="100000", places=2, allow_nan=False)
days = st.integers(min_value=0, max_value=120)
unit_no = st.integers(min_value=0, max_value=1)
operation = st.one_of(
    st.tuples(st.just("charge"), unit_no, amounts, days),
    st.tuples(st.just("credit"), unit_no, amounts, days),
    st.tuples(st.just("pay"), unit_no, amounts, days),
    st.tuples(st.just("reverse"), unit_no, st.integers(min_value=0, max_value=10), days),
    st.tuples(st.just("bulk"), st.lists(st.tuples(unit_no, amounts, days, days), max_size=5)),
)


def reference_open(unit) -> dict[date, Decimal]:
    """Plain FIFO over the ledger: the credits settle the oldest charges (due date, posting
    date, id) first; what is left open, summed per due date."""
    entries = list(Entry.objects.filter(unit=unit).order_by("pk"))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    charges = sorted(
        (
            (e.due_on or e.posted_on, e.posted_on, e.pk, e.amount)
            for e in entries
            if e.amount > 0 and not e.reverses_id and e.pk not in reversed_ids
        ),
    )
    balance = sum((e.amount for e in entries), Decimal(0))
    if balance <= 0:
        return {}
    left = sum((c[3] for c in charges), Decimal(0)) - balance
    out: dict[date, Decimal] = defaultdict(Decimal)
    for due, _posted, _pk, amount in charges:
        used = min(left, amount)
        left -= used
        if amount - used:
            out[due] += amount - used
    return dict(out)


def reference_days(unit) -> dict[date, Decimal]:
    out: dict[date, Decimal] = defaultdict(Decimal)
    for on, amount in (
        Entry.objects.filter(unit=unit).exclude(kind="payment").values_list("posted_on", "amount")
    ):
        out[on] += amount
    return {d: a for d, a in out.items() if a}


def stored(unit) -> tuple[dict, dict]:
    items = dict(OpenItem.objects.filter(unit=unit).values_list("due_on", "amount"))
    accrued = dict(DayAccrual.objects.filter(unit=unit).values_list("posted_on", "amount"))
    return items, accrued


class SummaryEquivalence(TestCase):
    def _apply(self, units, op, n):
        kind = op[0]
        if kind == "bulk":
            entries = [
                Entry(
                    unit=units[u],
                    kind="adjustment",
                    posted_on=START + timedelta(days=on),
                    due_on=START + timedelta(days=on + late) if late % 3 else None,
                    amount=amount if late % 2 else -amount,
                )
                for u, amount, on, late in op[1]
            ]
            with transaction.atomic():
                services.entries_post_bulk(entries)
            return
        _kind, u, arg, on = op
        unit, on = units[u], START + timedelta(days=on)
        if kind in ("charge", "credit"):
            amount = arg if kind == "charge" else -arg
            services.entry_adjust(unit=unit, amount=amount, text="t", user=None, on=on)
        elif kind == "pay":
            payment = Payment(unit=unit, paid_on=on, amount=arg, fingerprint=f"s{n}")
            services.payment_record(payment=payment)
        else:
            live = Entry.objects.filter(
                unit=unit, reverses__isnull=True, reversed_by__isnull=True
            ).order_by("pk")
            if live.count() > arg:
                services.entry_reverse(entry=live[arg], on=on)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operation, max_size=14))
    def test_the_summary_equals_a_recomputation_from_the_ledger(self, ops):
        units = [factories.UnitFactory(), factories.UnitFactory()]
        for n, op in enumerate(ops):
            self._apply(units, op, n)
        for unit in units:
            items, accrued = stored(unit)
            assert items == reference_open(unit)
            assert accrued == reference_days(unit)
        kept = [stored(unit) for unit in units]
        summary.refresh([u.pk for u in units])
        assert [stored(unit) for unit in units] == kept

    def test_a_write_rewrites_the_accruals_of_its_own_day_only(self):
        unit = factories.UnitFactory()
        services.entry_adjust(unit=unit, amount="300", text="t", user=None, on=START)
        services.entry_adjust(unit=unit, amount="200", text="t", user=None, on=START + timedelta(9))
        first = DayAccrual.objects.get(unit=unit, posted_on=START)
        services.entry_adjust(unit=unit, amount="-50", text="t", user=None, on=START + timedelta(9))
        assert DayAccrual.objects.get(unit=unit, posted_on=START).pk == first.pk  # untouched
        assert stored(unit) == (  # the credit settles the oldest charge first
            {START: Decimal("250.00"), START + timedelta(9): Decimal("200.00")},
            {START: Decimal("300.00"), START + timedelta(9): Decimal("150.00")},
        )

    def test_the_backfill_migration_fills_the_summary_of_existing_ledgers(self):
        unit = factories.UnitFactory()
        services.entry_adjust(unit=unit, amount="300", text="t", user=None, on=START)
        services.entry_adjust(unit=unit, amount="200", text="t", user=None, on=START + timedelta(9))
        services.entry_adjust(unit=unit, amount="-350", text="t", user=None, on=START)
        OpenItem.objects.all().delete()
        DayAccrual.objects.all().delete()
        migration = import_module("finance.migrations.0002_ledger_summary")
        migration.backfill(apps, None)
        assert stored(unit) == (
            {START + timedelta(9): Decimal("150.00")},
            {START: Decimal("-50.00"), START + timedelta(9): Decimal("200.00")},
        )
        assert Balance.objects.get(unit=unit).amount == Decimal("150.00")
