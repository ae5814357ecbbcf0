"""Payment reminders: before, on and after the due date; escalation; reruns send nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from finance import reminders
from finance.models import ReminderLog
from franchise.models import Notification

from .test_position import charge, pay

pytestmark = pytest.mark.django_db


def titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_before_on_and_after_the_due_date(network):
    today = timezone.localdate()
    unit = network.unit
    charge(unit, "100", today - timedelta(days=30), due=today - timedelta(days=7))
    charge(unit, "200", today - timedelta(days=10), due=today)
    charge(unit, "300", today - timedelta(days=1), due=today + timedelta(days=3))
    charge(unit, "999", today - timedelta(days=1), due=today + timedelta(days=9))  # no stage
    sent = reminders.reminders_send(today=today)
    assert sent == 3
    stages = dict(ReminderLog.objects.filter(unit=unit).values_list("stage", "amount"))
    assert {k: str(v) for k, v in stages.items()} == {
        "overdue": "100.00",
        "due": "200.00",
        "before": "300.00",
    }
    assert len(titles(network.owner)) == 3 and len(titles(network.member)) == 3
    # The account manager hears of the overdue one; the other manager of nothing.
    assert len(titles(network.manager)) == 1
    assert titles(network.other_manager) == []
    assert reminders.reminders_send(today=today) == 0
    assert Notification.objects.filter(user=network.owner).count() == 3


def test_a_paid_due_date_is_not_reminded(network):
    today = timezone.localdate()
    charge(network.unit, "100", today - timedelta(days=30), due=today - timedelta(days=7))
    pay(network.unit, "100", today - timedelta(days=2))
    assert reminders.reminders_send(today=today) == 0
    assert not ReminderLog.objects.exists()


def test_partly_paid_reminds_of_what_is_left(network):
    today = timezone.localdate()
    charge(network.unit, "100", today - timedelta(days=30), due=today - timedelta(days=1))
    pay(network.unit, "60", today - timedelta(days=2))
    assert reminders.reminders_send(today=today) == 1
    log = ReminderLog.objects.get()
    assert str(log.amount) == "40.00" and log.stage == "overdue"
