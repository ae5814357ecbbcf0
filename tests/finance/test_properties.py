"""Hypothesis over the database: the balance row equals the ledger's sum after any sequence of
operations, and reversal plus re-accrual equals the accrual of the final figure."""

from decimal import Decimal

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from finance import services
from finance.models import Balance, Entry, Payment
from reporting import periods as P
from reporting.models import Submission, Value
from tests import factories
from tests.reporting.conftest import make_template, report

from .conftest import make_agreement

amounts = st.decimals(min_value="0.01", max_value="1000000", places=2, allow_nan=False)
revenues = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False)
operation = st.one_of(
    st.tuples(st.just("adjust"), amounts),
    st.tuples(st.just("pay"), amounts),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("reapprove"), revenues),
)


class LedgerProperties(TestCase):
    def _world(self):
        """Built inside each example (hypothesis rolls every example back)."""
        self.unit = factories.UnitFactory()
        self.template = make_template(slug=f"sales-{self.unit.pk}")
        self.period = P.last_closed("monthly", timezone.localdate())
        make_agreement(
            self.unit, royalty="5", minimum="1000", marketing="1", template=self.template.slug
        )

    def _approve_with(self, revenue):
        sub = Submission.objects.filter(unit=self.unit).first()
        if sub is None:
            sub = report(self.unit, self.template, self.period, status="approved", revenue=0)
        Value.objects.filter(submission=sub, field_key="revenue").update(number=revenue)
        services.accruals_post(submission=sub)
        return sub

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operation, max_size=12))
    def test_balance_is_the_sum_of_entries(self, ops):
        self._world()
        for n, (op, arg) in enumerate(ops):
            if op == "adjust":
                services.entry_adjust(unit=self.unit, amount=arg, text="t", user=None)
            elif op == "pay":
                services.payment_record(
                    payment=Payment(
                        unit=self.unit, paid_on=timezone.localdate(), amount=arg, fingerprint=n
                    )
                )
            elif op == "reapprove":
                self._approve_with(arg)
            else:
                live = Entry.objects.filter(
                    unit=self.unit, reverses__isnull=True, reversed_by__isnull=True
                ).order_by("pk")
                if live.count() > arg:
                    services.entry_reverse(entry=live[arg])
        total = sum(Entry.objects.filter(unit=self.unit).values_list("amount", flat=True))
        balance = Balance.objects.filter(unit=self.unit).first()
        assert (balance.amount if balance else Decimal(0)) == total

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(revenues, min_size=1, max_size=5))
    def test_reversals_and_reaccruals_equal_the_accrual_of_the_final_figure(self, figures):
        self._world()
        for revenue in figures:
            sub = self._approve_with(revenue)
        fresh = factories.UnitFactory()
        make_agreement(
            fresh, royalty="5", minimum="1000", marketing="1", template=self.template.slug
        )
        final = report(fresh, self.template, self.period, status="approved", revenue=figures[-1])
        services.accruals_post(submission=final)
        for kind in ("royalty", "marketing"):
            mine = Entry.objects.filter(submission=sub, kind=kind).values_list("amount", flat=True)
            theirs = Entry.objects.filter(submission=final, kind=kind).values_list(
                "amount", flat=True
            )
            assert sum(mine) == sum(theirs)
