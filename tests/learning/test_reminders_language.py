"""Training reminders, overdue digests and expiry notices in each recipient's language.

A course is one English (default-locale) page with a live Russian translation: a Russian
reader is told about "Пищевая безопасность", an English one about "Food safety", in the
notice and in the e-mail. The translations are read once per language per run, whatever
the number of recipients.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from franchise.models import Notification, Role
from learning import services
from tests import factories
from tests.translating import translate

RU, EN = "Пищевая безопасность", "Food safety"


def _today():
    return timezone.localdate()


def _speaks(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


@pytest.fixture
def course(catalogue):
    course = catalogue.course
    course.title = EN
    course.save_revision().publish()
    translate(course, title=RU)
    return course


def _mail_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_due_reminder_names_the_course_in_the_recipients_language(
    network, course, django_capture_on_commit_callbacks
):
    _speaks(network.member, "ru")
    _speaks(network.owner, "en")
    services.assignment_create(
        by=network.manager, course=course, due_on=_today() + timedelta(days=7), units=[network.unit]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(day=_today())["reminders"] == 2
    ru_note = Notification.objects.get(user=network.member, kind="training")
    en_note = Notification.objects.get(user=network.owner, kind="training")
    assert RU in ru_note.title and EN not in ru_note.title
    assert RU in ru_note.body and EN not in ru_note.body
    assert EN in en_note.title and RU not in en_note.title
    assert EN in en_note.body and RU not in en_note.body
    # the link still leads to the one (default-locale) course page
    assert ru_note.url == en_note.url and "/ru/" not in ru_note.url
    [ru_mail] = _mail_to(network.member)
    [en_mail] = _mail_to(network.owner)
    assert RU in ru_mail.body and EN not in ru_mail.body
    assert EN in en_mail.body and RU not in en_mail.body


def test_untranslated_course_keeps_its_own_title(
    network, catalogue, django_capture_on_commit_callbacks
):
    _speaks(network.member, "ru")
    catalogue.course.title = EN
    catalogue.course.save_revision().publish()
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today(),
        units=[network.unit],
        roles=[Role.MEMBER],
    )
    services.reminders_send(day=_today())
    assert EN in Notification.objects.get(user=network.member, kind="training").title


def test_overdue_digest_lists_courses_in_the_recipients_language(network, course):
    _speaks(network.owner, "ru")
    _speaks(network.manager, "en")
    services.assignment_create(
        by=network.manager,
        course=course,
        due_on=_today() - timedelta(days=3),
        units=[network.unit],
        roles=[Role.MEMBER],
    )
    assert services.reminders_send(day=_today())["digests"] == 2
    ru_digest = Notification.objects.get(user=network.owner, kind="training")
    en_digest = Notification.objects.get(user=network.manager, kind="training")
    assert network.member.get_full_name() in ru_digest.body
    assert RU in ru_digest.body and EN not in ru_digest.body
    assert EN in en_digest.body and RU not in en_digest.body


def test_expiry_notice_names_the_course_in_the_holders_language(network, course):
    _speaks(network.member, "ru")
    services.certificate_issue(
        user=network.member, course=course, unit=network.unit, on=_today() - timedelta(days=355)
    )
    assert services.reminders_send(day=_today())["recertify"] == 1
    note = Notification.objects.get(user=network.member, kind="training")
    assert RU in note.body and EN not in note.body


def _translation_queries(run) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return sum('."translation_key" IN' in q["sql"] for q in ctx.captured_queries)


def test_translations_are_read_once_per_run_whatever_the_number_of_recipients(network, course):
    _speaks(network.member, "ru")
    services.assignment_create(
        by=network.manager, course=course, due_on=_today() + timedelta(days=7), units=[network.unit]
    )
    few = _translation_queries(lambda: services.reminders_send(day=_today()))
    for n in range(5):
        factories.member_of(
            network.unit, Role.MEMBER, username=f"extra{n}", preferred_language="ru"
        )
    many = _translation_queries(lambda: services.reminders_send(day=_today() + timedelta(days=6)))
    assert Notification.objects.filter(user__username__startswith="extra").count() == 5
    assert few == many == 1
