"""Assigning courses, inheritance by new members, reminders, digests and re-certification."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from franchise import access
from franchise.models import Notification, Role
from learning import selectors, services
from learning.models import Assignment, Certificate, ReminderLog
from tests import factories


def _today():
    return timezone.localdate()


def _certify(user, course, **kw):
    return services.certificate_issue(user=user, course=course, **kw)


def test_manager_assigns_to_their_portfolio_only(network, catalogue, client_for):
    client = client_for(network.manager)
    due = (_today() + timedelta(days=14)).isoformat()
    response = client.post(
        reverse("learning:assign"),
        {"course": catalogue.course.pk, "due_on": due, "units": [network.other_unit.pk]},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()
    response = client.post(
        reverse("learning:assign"),
        {
            "course": catalogue.course.pk,
            "due_on": due,
            "units": [network.unit.pk],
            "roles": [Role.MEMBER],
        },
    )
    assert response.status_code == 302
    a = Assignment.objects.get()
    assert (a.unit, a.roles, a.created_by) == (network.unit, "member", network.manager)


def test_region_targets_only_assignable_units(network, catalogue, client_for):
    factories.UnitFactory(code="KZN-002", region=network.region)  # not in the portfolio
    client_for(network.manager).post(
        reverse("learning:assign"),
        {
            "course": catalogue.course.pk,
            "due_on": _today().isoformat(),
            "region": network.region.pk,
        },
    )
    assert list(Assignment.objects.values_list("unit__code", flat=True)) == ["KZN-001"]


def test_form_errors_are_shown_next_to_fields(network, catalogue, client_for):
    client = client_for(network.owner)
    response = client.post(
        reverse("learning:assign"),
        {
            "course": catalogue.course.pk,
            "due_on": (_today() - timedelta(days=1)).isoformat(),
            "units": [network.unit.pk],
            "person": "nobody",
        },
    )
    html = response.content.decode()
    assert "cannot be in the past" in html
    response = client.post(
        reverse("learning:assign"),
        {
            "course": catalogue.course.pk,
            "due_on": _today().isoformat(),
            "units": [network.unit.pk],
            "person": "other_member",
        },
    )
    assert "Nobody with this login works in the chosen units" in response.content.decode()
    assert not Assignment.objects.exists()
    client.post(
        reverse("learning:assign"),
        {
            "course": catalogue.course.pk,
            "due_on": _today().isoformat(),
            "units": [network.unit.pk],
            "person": "member",
        },
    )
    assert Assignment.objects.get().user == network.member


@pytest.mark.parametrize("who", ["member", "lead", "other_member", "stranger", None])
def test_who_may_not_assign(network, catalogue, client_for, who):
    client = client_for(getattr(network, who) if who else None)
    response = client.post(
        reverse("learning:assign"),
        {"course": catalogue.course.pk, "due_on": _today().isoformat(), "units": [network.unit.pk]},
    )
    if who == "other_member":  # owns another unit: may assign there, not here
        assert "Select a valid choice" in response.content.decode()
    else:
        assert response.status_code == (302 if who is None else 404)
    assert not Assignment.objects.exists()


def test_new_members_inherit_assignments(network, catalogue, client_for):
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today() + timedelta(days=5),
        units=[network.unit],
    )
    newcomer = factories.UserFactory(username="newcomer")
    access.grant_role(newcomer, network.unit, Role.MEMBER)
    html = client_for(newcomer).get(reverse("learning:my_learning")).content.decode()
    assert "Пищевая безопасность" in html
    assert len(selectors.my_learning(newcomer)["assigned"]) == 1
    assert selectors.unit_training_summary(network.unit.pk)["assigned"] == 3  # owner, member, new


def test_roles_and_person_targets(network, catalogue):
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today(),
        units=[network.unit],
        roles=[Role.OWNER],
    )
    assert len(selectors.my_learning(network.owner)["assigned"]) == 1
    assert selectors.my_learning(network.member)["assigned"] == []
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today(),
        units=[network.unit, network.other_unit],
        user=network.member,
    )
    assert Assignment.objects.filter(user=network.member).count() == 1  # only their unit
    assert len(selectors.my_learning(network.member)["assigned"]) == 1


def test_reminders_go_to_unfinished_people_once_a_day(
    network, catalogue, django_capture_on_commit_callbacks
):
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today() + timedelta(days=7),
        units=[network.unit],
    )
    _certify(network.owner, catalogue.course)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.reminders_send(day=_today())
    assert counts["reminders"] == 1
    notes = Notification.objects.filter(kind="training")
    assert [n.user for n in notes] == [network.member]
    assert "Пищевая безопасность" in notes[0].title
    assert [m.to for m in mail.outbox] == [[network.member.email]]
    # the same day again: nothing new
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_send(day=_today())
    assert again["reminders"] == 0 and notes.count() == 1 and len(mail.outbox) == 1
    # a day that is not a reminder day sends nothing; the due date itself does
    assert services.reminders_send(day=_today() + timedelta(days=2))["reminders"] == 0
    assert services.reminders_send(day=_today() + timedelta(days=7))["reminders"] == 1
    assert ReminderLog.objects.filter(kind="due").count() == 2


def test_management_command_runs_the_same_job(network, catalogue):
    from django.core.management import call_command

    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today() + timedelta(days=1),
        units=[network.unit],
    )
    call_command("send_learning_reminders")
    call_command("send_learning_reminders")
    assert Notification.objects.filter(kind="training").count() == 2  # owner and member, once


def test_overdue_digest_to_owner_and_account_manager(network, catalogue):
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today() - timedelta(days=3),
        units=[network.unit],
        roles=[Role.MEMBER],
    )
    counts = services.reminders_send(day=_today())
    assert counts["digests"] == 2 and counts["reminders"] == 0
    digests = Notification.objects.filter(title__startswith="Overdue training")
    assert {n.user for n in digests} == {network.owner, network.manager}
    assert network.member.get_full_name() in digests[0].body
    assert services.reminders_send(day=_today())["digests"] == 0


def test_expiring_certificate_reassigns_and_reminds(network, catalogue):
    old = _certify(
        network.member, catalogue.course, unit=network.unit, on=_today() - timedelta(days=355)
    )
    assert old.expires_on == _today() + timedelta(days=10) or old.expires_on > _today()
    assert selectors.my_learning(network.member)["assigned"] == []
    counts = services.reminders_send(day=_today())
    assert counts["recertify"] == 1
    a = Assignment.objects.get()
    assert (a.kind, a.user, a.due_on) == (Assignment.Kind.RECERTIFY, network.member, old.expires_on)
    assert Notification.objects.filter(user=network.member, title__contains="expires").exists()
    mine = selectors.my_learning(network.member)
    assert [r["course"] for r in mine["assigned"] + mine["in_progress"]] == [catalogue.course]
    # idempotent
    assert services.reminders_send(day=_today())["recertify"] == 0
    assert Assignment.objects.count() == 1
    # re-certifying keeps the history and closes the assignment
    _certify(network.member, catalogue.course, unit=network.unit)
    assert Certificate.objects.filter(user=network.member).count() == 2
    assert len(selectors.my_learning(network.member)["completed"]) == 1
