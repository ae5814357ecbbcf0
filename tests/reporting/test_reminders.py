"""Reminders go to non-submitters only, escalate after the due date, never twice a day; each
person gets an in-app notice (the bell) and e-mail as they prefer."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from franchise import access, notifications
from franchise.models import Notification, NotificationPreference, Role
from reporting import services
from reporting.models import ReminderLog
from tests import factories

from .conftest import form_url, report


@pytest.fixture
def due(sales, period):
    return period.due_date(sales.due_days)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """The job, then what it queued for after its commit (the e-mails), like in production."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.reminders_send(**kwargs)

    return run


def _recipients():
    return sorted(address for m in mail.outbox for address in m.to)


def test_before_due_only_non_submitters(network, sales, period, due, remind):
    report(network.other_unit, sales, period, revenue=1)  # submitted: no reminder
    sent = remind(today=due - timedelta(days=3))
    assert sent == 1
    assert _recipients() == sorted([network.owner.email, network.member.email])
    assert "is due on" in mail.outbox[0].subject
    assert network.manager.email not in _recipients()


def test_drafts_still_get_reminded(network, sales, period, due, remind):
    report(network.unit, sales, period, status="draft", revenue=1)
    report(network.other_unit, sales, period, revenue=1)
    assert remind(today=due) == 1
    assert network.owner.email in _recipients()


def test_after_due_escalates_to_account_manager(network, sales, period, due, remind):
    report(network.other_unit, sales, period, revenue=1)
    remind(today=due + timedelta(days=1))
    assert network.manager.email in _recipients()
    assert network.other_manager.email not in _recipients()
    escalation = next(m for m in mail.outbox if m.to == [network.manager.email])
    assert network.unit.code in escalation.body
    log = ReminderLog.objects.get(unit=network.unit)
    assert log.stage == "overdue" and log.escalated_to == network.manager


def test_rerun_same_day_sends_nothing(
    network, sales, period, due, remind, django_capture_on_commit_callbacks
):
    day = due + timedelta(days=1)
    first = remind(today=day)
    count = len(mail.outbox)
    assert first == 2
    assert remind(today=day) == 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", date=day.isoformat())
    assert len(mail.outbox) == count
    assert ReminderLog.objects.count() == 2


def test_no_reminder_on_other_days(network, sales, period, due, remind):
    assert remind(today=due - timedelta(days=1)) == 0
    assert mail.outbox == []


def test_task_runs_for_today(network, sales):
    from reporting.tasks import reminders_send_task

    assert reminders_send_task.delay().get() >= 0
    assert timezone.localdate()


# In-app notices ------------------------------------------------------------------------


def _notices(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


def test_notice_for_each_person_of_the_late_unit_only(network, sales, period, due, remind):
    report(network.other_unit, sales, period, revenue=1)  # submitted: no reminder
    assert remind(today=due - timedelta(days=3)) == 1
    for person in (network.owner, network.member):
        [notice] = _notices(person)
        assert notice.unit == network.unit and notice.kind == "report"
        assert notice.url == form_url(network.unit, sales, period)
        assert "is due on" in notice.title and sales.name in notice.title
        assert period.start.strftime("%Y") in notice.title
        assert network.unit.trading_name in notice.body
    for person in (network.other_member, network.manager, network.other_manager, network.lead):
        assert _notices(person) == []


def test_each_unit_gets_its_own_link(network, sales, period, due, remind):
    remind(today=due)
    [mine] = _notices(network.owner)
    [theirs] = _notices(network.other_member)
    assert mine.unit == network.unit and theirs.unit == network.other_unit
    assert mine.url == form_url(network.unit, sales, period)
    assert theirs.url == form_url(network.other_unit, sales, period)
    assert Notification.objects.filter(unit=network.unit).count() == 2  # owner and member


def test_overdue_notice_and_escalation_in_the_portal(network, sales, period, due, remind):
    report(network.other_unit, sales, period, revenue=1)
    remind(today=due + timedelta(days=3))
    [notice] = _notices(network.owner)
    assert notice.title.startswith("Overdue:")
    assert "3 days late" in notice.body
    [escalation] = _notices(network.manager)
    assert escalation.unit is None
    assert escalation.url == (
        reverse("reporting:late") + f"?template={sales.slug}&period={period.key}"
    )
    assert network.unit.code in escalation.body
    assert _notices(network.other_manager) == []


def test_bell_lists_the_reminder_and_opens_the_form(
    network, sales, period, due, client_for, remind
):
    remind(today=due - timedelta(days=3))
    [notice] = _notices(network.owner)
    owner = client_for(network.owner)
    page = owner.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert escape(notice.title) in page.content.decode()
    opened = owner.post(reverse("notifications:read", args=[notice.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == form_url(network.unit, sales, period)
    assert owner.get(opened["Location"]).status_code == 200
    other = client_for(network.other_member)
    html = other.get(reverse("notifications:list")).content.decode()
    assert reverse("notifications:read", args=[notice.pk]) not in html
    assert network.unit.trading_name not in html
    foreign = other.post(reverse("notifications:read", args=[notice.pk]), {"open": "1"})
    assert foreign.status_code == 404


def test_second_run_the_same_day_adds_no_notice(
    network, sales, period, due, remind, django_capture_on_commit_callbacks
):
    day = due + timedelta(days=1)
    remind(today=day)
    count, mails = Notification.objects.count(), len(mail.outbox)
    assert count == 2 + 1 + 1 + 1  # owner, member, other_member; two managers
    remind(today=day)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", date=day.isoformat())
    assert Notification.objects.count() == count
    assert len(mail.outbox) == mails
    # The next stage (another day) is a new reminder.
    remind(today=due + timedelta(days=3))
    assert Notification.objects.filter(user=network.owner).count() == 2


def test_email_follows_each_persons_preference(network, sales, period, due, remind):
    NotificationPreference.objects.create(
        user=network.owner, kind="report", mode=notifications.Mode.OFF
    )
    NotificationPreference.objects.create(
        user=network.member, kind="report", mode=notifications.Mode.DIGEST
    )
    report(network.other_unit, sales, period, revenue=1)
    remind(today=due)
    assert _recipients() == []  # off, and waiting for the digest
    assert len(_notices(network.owner)) == 1 and len(_notices(network.member)) == 1
    assert _notices(network.member)[0].email_mode == "digest"
    assert notifications.send_digests() == 1
    assert _recipients() == [network.member.email]


def test_notice_in_the_persons_language(network, sales, period, due, remind):
    network.member.preferred_language = "ru"
    network.member.save(update_fields=["preferred_language"])
    report(network.other_unit, sales, period, revenue=1)
    remind(today=due - timedelta(days=3))
    [english] = _notices(network.owner)
    [russian] = _notices(network.member)
    assert "is due on" in english.title
    assert russian.title != english.title and russian.url == english.url


def _late_units(network, sales, period, count):
    for _i in range(count):
        unit = factories.UnitFactory(region=network.region)
        access.set_account_manager(unit, network.manager)
        for role in (Role.OWNER, Role.MEMBER, Role.MEMBER):
            factories.member_of(unit, role)


def _job_queries(day) -> int:
    with CaptureQueriesContext(connection) as ctx:
        services.reminders_send(today=day)
    return len(ctx.captured_queries)


def test_job_queries_do_not_grow_with_late_units_or_people(network, sales, period, due):
    """Everything is read in a fixed number of queries and every notice (each unit's people,
    each account manager) is written by one franchise.notifications.notify_many call."""
    report(network.other_unit, sales, period, revenue=1)
    day = due + timedelta(days=1)
    few = _job_queries(day)  # one late unit, two people, one manager
    _late_units(network, sales, period, 6)  # six more, three people each, the same manager
    many = _job_queries(day + timedelta(days=2))
    assert many == few
    assert Notification.objects.filter(unit__isnull=False).count() == 2 + 2 + 6 * 3
