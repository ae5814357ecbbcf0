"""A month of the network accrued at once (`accruals_post_many`): the same entries as one
report at a time, nothing twice, a re-approved report reversed and re-accrued, a fixed
number of queries however many reports."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance import services
from finance.models import Balance, Entry, OpenItem
from reporting.models import Submission, Value
from tests import factories
from tests.reporting.conftest import report

from .conftest import make_agreement

pytestmark = pytest.mark.django_db
FIELDS = ("kind", "amount", "posted_on", "period_start", "due_on", "revision", "details")


def _approved(unit, template, period, revenue):
    """An approved report nothing has accrued (written straight, no signal)."""
    sub = report(unit, template, period, status="approved", revenue=revenue, receipts=10)
    Submission.objects.filter(pk=sub.pk).update(reviewed_at=timezone.now() - timedelta(days=2))
    sub.refresh_from_db()
    return sub


def _entries(unit):
    return sorted(Entry.objects.filter(unit=unit).values_list(*FIELDS), key=str)


def test_many_writes_what_one_at_a_time_writes(network, sales, period):
    for unit in (network.unit, network.other_unit):
        make_agreement(unit, royalty="6", minimum="50000", marketing="2")
    one = _approved(network.unit, sales, period, 1250000)
    many = _approved(network.other_unit, sales, period, 1250000)
    services.accruals_post(submission=one)
    posted = services.accruals_post_many(submissions=Submission.objects.filter(pk=many.pk))
    assert len(posted) == 2
    assert _entries(network.other_unit) == _entries(network.unit)
    assert {e[0]: e[1] for e in _entries(network.other_unit)} == {
        "marketing": Decimal("25000.00"),
        "royalty": Decimal("75000.00"),
    }
    balance = Balance.objects.get(unit=network.other_unit).amount
    assert balance == Decimal("100000.00")
    assert OpenItem.objects.filter(unit=network.other_unit).exists()  # the summary is kept


def test_a_second_run_writes_nothing_and_a_changed_report_is_reaccrued(network, sales, period):
    make_agreement(network.unit, royalty="6", marketing=None)
    sub = _approved(network.unit, sales, period, 1000000)
    reports = Submission.objects.filter(pk=sub.pk)
    assert len(services.accruals_post_many(submissions=reports)) == 1
    assert services.accruals_post_many(submissions=reports) == []
    Value.objects.filter(submission=sub, field_key="revenue").update(number=Decimal(1200000))
    posted = services.accruals_post_many(submissions=reports)
    assert [(e.amount, e.revision) for e in posted] == [(Decimal("72000.00"), 2)]
    amounts = sorted(Entry.objects.filter(unit=network.unit).values_list("amount", flat=True))
    assert amounts == [Decimal("-60000.00"), Decimal("60000.00"), Decimal("72000.00")]
    assert Balance.objects.get(unit=network.unit).amount == Decimal("72000.00")


def test_units_without_an_agreement_are_skipped(network, sales, period):
    make_agreement(network.unit)
    _approved(network.unit, sales, period, 100000)
    _approved(network.other_unit, sales, period, 100000)
    services.accruals_post_many(submissions=Submission.objects.all())
    assert not Entry.objects.filter(unit=network.other_unit).exists()
    assert Entry.objects.filter(unit=network.unit).count() == 2


def _queries(network, sales, period, n):
    units = [factories.UnitFactory(region=network.region) for _ in range(n)]
    for unit in units:
        make_agreement(unit)
        _approved(unit, sales, period, 500000)
    reports = Submission.objects.filter(unit__in=units)
    with CaptureQueriesContext(connection) as ctx:
        posted = services.accruals_post_many(submissions=reports)
    assert len(posted) == 2 * n
    return len([q for q in ctx.captured_queries if "balance" not in q["sql"].lower()])


def test_the_query_count_does_not_grow_with_the_reports(network, sales, period):
    few = _queries(network, sales, period, 2)
    many = _queries(network, sales, period, 12)
    assert many == few
