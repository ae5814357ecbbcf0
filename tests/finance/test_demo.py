"""The finance demo: agreements, accruals, payments (late ones, unmatched ones), idempotent;
the demo bank statement file imports cleanly against the demo network."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import translation

from finance import payments as P
from finance.demo import DEMO_FILE, demo_statement
from finance.models import Agreement, Balance, Entry, Payment
from franchise import access
from franchise.models import Franchisee

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Agreement.objects.count(),
        Entry.objects.count(),
        Payment.objects.count(),
        sorted(Balance.objects.values_list("unit_id", "amount")),
    )


def test_demo_settlements_and_statement_file(django_user_model):
    call_command("seed_demo", units=8, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    assert first[0] == 8
    assert Entry.objects.filter(kind="royalty", submission__isnull=False).exists()
    assert Entry.objects.filter(details__mode="marginal").exists()  # a unit with revenue bands
    payments = list(Payment.objects.all())
    assert sum(p.unit_id is None for p in payments) == 4
    due = {
        (e.unit_id, e.period_start): e.due_on
        for e in Entry.objects.filter(kind="royalty").only("unit_id", "period_start", "due_on")
    }
    late = [
        p
        for p in Entry.objects.filter(kind="payment").select_related("payment")
        if any(
            p.unit_id == unit and p.posted_on > when + timedelta(days=2)
            for (unit, _), when in due.items()
        )
    ]
    assert late
    finance = django_user_model.objects.get(username="finance")
    assert access.keeps_books(finance) and finance.check_password("franchise-demo")

    call_command("seed_demo", units=8, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first

    data = DEMO_FILE.read_bytes()
    assert data == demo_statement()  # the committed file is what the generator makes
    before = dict(Balance.objects.values_list("unit_id", "amount"))
    with translation.override("en"):
        preview, statement = P.statement_import(name=DEMO_FILE.name, data=data, user=finance)
    assert not preview.errors and statement is not None
    assert (len(preview.matched), len(preview.unmatched), len(preview.foreign)) == (8, 2, 2)
    first_unit = Franchisee.objects.get(code=preview.matched[0].unit.code)
    assert Balance.objects.get(unit=first_unit).amount == before[first_unit.pk] - 42000
