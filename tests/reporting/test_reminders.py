"""Reminders go to non-submitters only, escalate after the due date, never twice a day."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reporting import services
from reporting.models import ReminderLog

from .conftest import report


@pytest.fixture
def due(sales, period):
    return period.due_date(sales.due_days)


def _recipients():
    return sorted(address for m in mail.outbox for address in m.to)


def test_before_due_only_non_submitters(network, sales, period, due):
    report(network.other_unit, sales, period, revenue=1)  # submitted: no reminder
    sent = services.reminders_send(today=due - timedelta(days=3))
    assert sent == 1
    assert _recipients() == sorted([network.owner.email, network.member.email])
    assert "is due on" in mail.outbox[0].subject
    assert network.manager.email not in _recipients()


def test_drafts_still_get_reminded(network, sales, period, due):
    report(network.unit, sales, period, status="draft", revenue=1)
    report(network.other_unit, sales, period, revenue=1)
    assert services.reminders_send(today=due) == 1
    assert network.owner.email in _recipients()


def test_after_due_escalates_to_account_manager(network, sales, period, due):
    report(network.other_unit, sales, period, revenue=1)
    services.reminders_send(today=due + timedelta(days=1))
    assert network.manager.email in _recipients()
    assert network.other_manager.email not in _recipients()
    escalation = next(m for m in mail.outbox if m.to == [network.manager.email])
    assert network.unit.code in escalation.body
    log = ReminderLog.objects.get(unit=network.unit)
    assert log.stage == "overdue" and log.escalated_to == network.manager


def test_rerun_same_day_sends_nothing(network, sales, period, due):
    day = due + timedelta(days=1)
    first = services.reminders_send(today=day)
    count = len(mail.outbox)
    assert first == 2
    assert services.reminders_send(today=day) == 0
    call_command("send_report_reminders", date=day.isoformat())
    assert len(mail.outbox) == count
    assert ReminderLog.objects.count() == 2


def test_no_reminder_on_other_days(network, sales, period, due):
    assert services.reminders_send(today=due - timedelta(days=1)) == 0
    assert mail.outbox == []


def test_task_runs_for_today(network, sales):
    from reporting.tasks import reminders_send_task

    assert reminders_send_task.delay().get() >= 0
    assert timezone.localdate()
