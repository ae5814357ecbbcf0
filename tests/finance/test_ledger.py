"""Accruals from approved reports, reversals on re-approval, invoices, the balance row."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance import services
from finance.models import Balance, Entry
from orders.models import Invoice, Order
from orders.signals import invoice_issued
from reporting import services as reporting_services
from reporting.models import ChangeLog, Submission, Value

from .conftest import approved, make_agreement

pytestmark = pytest.mark.django_db


def _sum(unit):
    return sum(Entry.objects.filter(unit=unit).values_list("amount", flat=True), Decimal(0))


def _balance(unit):
    return Balance.objects.get(unit=unit).amount


def test_approval_accrues_royalty_and_marketing_once(network, sales, period):
    make_agreement(network.unit, royalty="6", minimum="50000", marketing="2")
    sub = approved(network.unit, sales, period, network.manager, revenue=1250000, receipts=100)
    entries = {e.kind: e for e in Entry.objects.filter(unit=network.unit)}
    assert entries["royalty"].amount == Decimal("75000.00")
    assert entries["marketing"].amount == Decimal("25000.00")
    assert entries["royalty"].due_on == period.end + timedelta(days=15)
    assert entries["royalty"].details["minimum_applied"] is False
    # A rerun (worker retry, second signal) adds nothing.
    services.accruals_post(submission=sub, user=network.manager)
    reporting_services.submission_approve(submission=sub, user=network.manager)
    assert Entry.objects.filter(unit=network.unit).count() == 2
    assert _balance(network.unit) == Decimal("100000.00") == _sum(network.unit)


def test_no_agreement_no_accrual(network, sales, period):
    approved(network.unit, sales, period, network.manager, revenue=1000)
    assert not Entry.objects.exists()


def test_reopen_and_reapproval_with_other_figures_reverses_and_reaccrues(network, sales, period):
    make_agreement(network.unit, royalty="6", marketing=None)
    sub = approved(network.unit, sales, period, network.manager, revenue=1000000)
    reopened = reporting_services.submission_reopen(
        submission=sub, user=network.manager, comment="revenue was wrong"
    )
    assert reopened.status == Submission.Status.RETURNED
    assert ChangeLog.objects.filter(submission=sub, old="approved", new="returned").exists()
    Value.objects.filter(submission=sub, field_key="revenue").update(number=Decimal(1200000))
    Submission.objects.filter(pk=sub.pk).update(status="submitted")
    reporting_services.submission_approve(submission=sub, user=network.manager)
    amounts = list(Entry.objects.filter(unit=network.unit).values_list("amount", "revision"))
    assert amounts == [
        (Decimal("60000.00"), 1),
        (Decimal("-60000.00"), 1),
        (Decimal("72000.00"), 2),
    ]
    assert _balance(network.unit) == Decimal("72000.00")


def test_reopen_only_approved_and_with_a_reason(network, sales, period):
    from tests.reporting.conftest import report

    sub = report(network.unit, sales, period, status="submitted", revenue=1)
    with pytest.raises(ValidationError):
        reporting_services.submission_reopen(submission=sub, user=network.manager, comment="x")
    with pytest.raises(ValidationError):
        reporting_services.submission_reopen(submission=sub, user=network.manager, comment=" ")


def test_a_new_rule_applies_from_its_date_only(network, sales, period):
    from finance.models import FeeRule

    agreement = make_agreement(network.unit, royalty="6", marketing=None)
    FeeRule.objects.create(
        agreement=agreement, kind="royalty", effective_from=period.end, percent=Decimal(8)
    )
    approved(network.unit, sales, period, network.manager, revenue=1000)
    assert Entry.objects.get().amount == Decimal("60.00")  # the month began under 6 %


def test_invoice_signal_posts_once(network):
    order = Order.objects.create(unit=network.unit, number="Z-1")
    invoice = Invoice.objects.create(
        order=order,
        unit=network.unit,
        number="INV-1",
        issued_on=date(2026, 3, 1),
        due_on=date(2026, 3, 15),
        total=Decimal("1234.56"),
        vat_total=Decimal("205.76"),
    )
    invoice_issued.send(sender=Invoice, invoice=invoice)
    invoice_issued.send(sender=Invoice, invoice=invoice)
    entry = Entry.objects.get(invoice=invoice)
    assert (entry.kind, entry.amount, entry.due_on) == ("invoice", invoice.total, invoice.due_on)
    assert _balance(network.unit) == Decimal("1234.56")


def test_reversal_only_once_and_adjustment_needs_reason(network):
    entry = services.entry_adjust(unit=network.unit, amount="100", text="opening", user=None)
    services.entry_reverse(entry=entry)
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry)
    with pytest.raises(ValidationError):
        services.entry_adjust(unit=network.unit, amount="100", text=" ", user=None)
    with pytest.raises(ValidationError):
        services.entry_adjust(unit=network.unit, amount="0", text="zero", user=None)
    assert _balance(network.unit) == 0 == _sum(network.unit)
