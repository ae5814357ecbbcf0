from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise import notifications
from franchise.models import Notification, NotificationMode, NotificationPreference
from tests import factories


def test_notify_creates_rows_and_mails_only_after_commit(
    network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notifications.notify(
            recipients=[network.owner, network.member, network.owner, None],
            kind="task",
            title="New task: repaint the sign",
            body="Due Friday.",
            url="/units/KZN-001/tasks/1/",
            unit=network.unit,
        )
    assert len(created) == 2  # duplicates and None dropped
    assert Notification.objects.filter(kind="task", read_at__isnull=True).count() == 2
    assert mail.outbox == []  # nothing before commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.com", "owner@example.com"]
    message = next(m for m in mail.outbox if m.to == ["owner@example.com"])
    assert message.subject == "New task: repaint the sign"
    assert "http://127.0.0.1:8000/units/KZN-001/tasks/1/" in message.body
    assert "Due Friday." in message.body
    # Running the queued job again (a retry) sends nothing more.
    callbacks[0]()
    assert len(mail.outbox) == 2


def test_rolled_back_notice_sends_nothing(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notifications.notify(recipients=[network.owner], kind="task", title="Doomed")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_preferences_off_and_digest(network, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=network.owner, kind="document", mode=NotificationMode.OFF
    )
    NotificationPreference.objects.create(
        user=network.member, kind="document", mode=NotificationMode.DIGEST
    )
    with django_capture_on_commit_callbacks(execute=True):
        for title in ["Price list 2026", "Brand book v3"]:
            notifications.notify(
                recipients=[network.owner, network.member, network.manager],
                kind="document",
                title=title,
                url="/documents/",
            )
    # Only the manager (default: immediately) got e-mail straight away.
    assert [m.to for m in mail.outbox] == [["manager@example.com"]] * 2
    assert Notification.objects.filter(user=network.owner).count() == 2  # still in the app
    mail.outbox.clear()
    call_command("send_notification_digests")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["member@example.com"]
    assert "Price list 2026" in digest.body and "Brand book v3" in digest.body
    call_command("send_notification_digests")  # idempotent
    assert len(mail.outbox) == 1


def test_unknown_kind_gets_generic_label(network, django_capture_on_commit_callbacks):
    assert str(notifications.kind_of("brand-new").label) == "Other notices"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipients=[network.owner], kind="brand-new", title="Hello")
    assert len(mail.outbox) == 1


def test_notify_query_count_is_constant(network, django_assert_num_queries):
    few = [network.owner]
    many = [factories.UserFactory() for _ in range(15)]
    with django_assert_num_queries(4) as ctx:  # savepoint, preferences, insert, release
        notifications.notify(recipients=few, kind="task", title="x")
    n = len(ctx.captured_queries)
    with django_assert_num_queries(n):
        notifications.notify(recipients=many, kind="task", title="x")


def test_centre_marks_read_and_header_count(network, client_for):
    other = notifications.notify(recipients=[network.other_member], kind="task", title="Theirs")[0]
    mine = notifications.notify(
        recipients=[network.owner], kind="task", title="Mine", url="/dashboard/"
    )
    notifications.notify(recipients=[network.owner], kind="news", title="Second")
    client = client_for(network.owner)
    page = client.get(reverse("notifications:list"))
    html = page.content.decode()
    assert "Mine" in html and "Second" in html and "Theirs" not in html
    assert 'header-notifications__count">2<' in html
    # Someone else's notice cannot be marked (404), and stays unread.
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post(reverse("notifications:read", args=[mine[0].pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert notifications.unread_count(network.owner) == 1
    client.post(reverse("notifications:read_all"))
    assert notifications.unread_count(network.owner) == 0
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_anonymous_gets_login_redirect(client_for, db):
    for url in [reverse("notifications:list"), reverse("notifications:preferences")]:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preferences_page_saves_choices(network, client_for):
    client = client_for(network.owner)
    page = client.get(reverse("notifications:preferences"))
    assert "Documents" in page.content.decode()
    data = {k.key: NotificationMode.IMMEDIATE for k in notifications.kinds()}
    data["task"] = NotificationMode.DIGEST
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert notifications.modes_for([network.owner], "task") == {
        network.owner.pk: NotificationMode.DIGEST
    }
    bad = client.post(reverse("notifications:preferences"), {**data, "task": "sometimes"})
    assert bad.status_code == 200 and "field__error" in bad.content.decode()


def test_centre_query_count_is_constant(network, client_for):
    client = client_for(network.owner)

    def queries():
        client.get(reverse("notifications:list"))  # warm up
        cache.clear()  # count the uncached shell
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("notifications:list"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    notifications.notify(recipients=[network.owner], kind="task", title="n", unit=network.unit)
    few = queries()
    for i in range(40):
        notifications.notify(
            recipients=[network.owner], kind="task", title=f"n{i}", unit=network.other_unit
        )
    assert queries() == few
