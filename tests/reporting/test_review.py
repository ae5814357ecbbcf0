"""Approve / return from the queue: audit, e-mail, in-app notice, history, late at a glance."""

from unittest import mock

from django.core import mail

from franchise.models import AuditEvent, Notification
from reporting.models import ChangeLog

from .conftest import report


def test_return_with_comment_notifies_unit(
    network, client_for, sales, period, django_capture_on_commit_callbacks
):
    sub = report(network.unit, sales, period, revenue=100, receipts=2, staff=1)
    client = client_for(network.manager)
    blank = client.post(f"/reports/review/{sub.pk}/", {"decision": "return", "comment": ""})
    assert blank.status_code == 200 and "Say what needs to be corrected" in blank.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/reports/review/{sub.pk}/", {"decision": "return", "comment": "Check receipts"}
        )
    sub.refresh_from_db()
    assert sub.status == "returned" and sub.review_comment == "Check receipts"
    assert AuditEvent.objects.filter(action="return", unit=network.unit).count() == 1
    notices = Notification.objects.filter(kind="report", unit=network.unit)
    assert {n.user for n in notices} == {network.owner, network.member}
    assert all("Check receipts" in n.body for n in notices)
    assert all(n.url.startswith(f"/reports/u/{network.unit.code}/") for n in notices)
    assert {m.to[0] for m in mail.outbox} == {network.owner.email, network.member.email}
    assert network.manager.email not in {m.to[0] for m in mail.outbox}
    log = ChangeLog.objects.get(field_key="status", new="returned")
    assert log.old == "submitted" and log.user == network.manager


def test_approve_twice_is_one_approval(network, client_for, sales, period):
    sub = report(network.unit, sales, period, revenue=100)
    client = client_for(network.manager)
    with mock.patch("reporting.services._notify"):
        client.post(f"/reports/review/{sub.pk}/", {"decision": "approve"})
        client.post(f"/reports/review/{sub.pk}/", {"decision": "approve"})
    sub.refresh_from_db()
    assert sub.status == "approved" and sub.reviewed_by == network.manager
    assert AuditEvent.objects.filter(action="approve").count() == 1
    html = client.get("/reports/review/").content.decode()
    assert f"/reports/review/{sub.pk}/" not in html  # no longer waiting


def test_history_shows_who_when_old_new(network, client_for, sales, period):
    owner = client_for(network.owner)
    url = f"/reports/u/{network.unit.code}/sales/{period.key}/"
    owner.post(url, {"revenue": "100", "action": "save"})
    owner.post(url, {"revenue": "250", "receipts": "5", "staff": "2", "action": "submit"})
    from reporting.models import Submission

    sub = Submission.objects.get()
    html = client_for(network.manager).get(f"/reports/review/{sub.pk}/").content.decode()
    # Fields by their labels, statuses by their names (the log keeps keys and codes).
    assert "<td>Revenue</td><td>100</td><td>250</td>" in html
    assert "<td>Status</td><td>Draft</td><td>Submitted</td>" in html
    assert network.owner.get_full_name() in html


def test_late_and_missing_at_a_glance(network, client_for, sales, period):
    from tests.factories import UnitFactory, manager_of

    extra = UnitFactory(region=network.region, trading_name="Опоздавшая пекарня")
    manager_of(extra, username="x-manager")
    from franchise import access

    access.set_account_manager(extra, network.manager)
    report(network.unit, sales, period, revenue=1)
    client = client_for(network.manager)
    queue = client.get("/reports/review/").content.decode()
    assert "1 unit has not submitted" in queue
    late = client.get(f"/reports/late/?template=sales&period={period.key}").content.decode()
    assert "Опоздавшая пекарня" in late and "Хлебный двор Казань" not in late
    assert network.other_unit.trading_name not in late  # another portfolio
