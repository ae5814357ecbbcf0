"""Tasks (franchisor → unit) and requests (unit → franchisor)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from franchise import exchange_hooks
from franchise.models import (
    AuditEvent,
    Notification,
    TaskAttachment,
    TaskChecklistItem,
    UnitRequest,
    UnitTask,
    WorkComment,
)
from franchise.tasks_requests import services
from portal import dashboard
from tests.franchise.test_documents import _queries, checked, make_pdf, upload


@pytest.fixture
def task(network):
    return services.task_create(
        unit=network.unit,
        by=network.manager,
        title="Repaint the sign",
        description="New brand colours",
        due_date=timezone.localdate() + timedelta(days=5),
        responsible=network.member,
        checklist=["Order paint", "Paint"],
        attachments=[checked("brief.pdf", make_pdf("brief"))],
    )


@pytest.fixture
def unit_request(network):
    return services.request_create(
        unit=network.unit,
        by=network.owner,
        kind=UnitRequest.Kind.QUESTION,
        subject="Where is the new price list?",
        text="We cannot find it.",
    )


def _urls(network, task, unit_request):
    code = network.unit.code
    item = task.checklist.first()
    attachment = task.attachments.first()
    return {
        "get": [
            reverse("franchise:unit_tasks", args=[code]),
            reverse("franchise:task_create", args=[code]),
            reverse("franchise:task_detail", args=[code, task.pk]),
            reverse("franchise:task_attachment", args=[code, task.pk, attachment.pk]),
            reverse("franchise:request_create", args=[code]),
            reverse("franchise:request_detail", args=[code, unit_request.pk]),
        ],
        "post": [
            reverse("franchise:task_create", args=[code]),
            reverse("franchise:task_status", args=[code, task.pk]),
            reverse("franchise:task_edit", args=[code, task.pk]),
            reverse("franchise:task_comment", args=[code, task.pk]),
            reverse("franchise:task_checklist", args=[code, task.pk, item.pk]),
            reverse("franchise:request_create", args=[code]),
            reverse("franchise:request_status", args=[code, unit_request.pk]),
            reverse("franchise:request_comment", args=[code, unit_request.pk]),
        ],
    }


POST_DATA = {
    "title": "x",
    "status": "done",
    "text": "hacked",
    "done": "1",
    "kind": "question",
    "subject": "x",
}


def _unchanged(task, unit_request):
    task.refresh_from_db()
    unit_request.refresh_from_db()
    assert task.status == UnitTask.Status.OPEN
    assert unit_request.status == UnitRequest.Status.OPEN
    assert not WorkComment.objects.exists()
    assert UnitTask.objects.count() == 1 and UnitRequest.objects.count() == 1
    assert not TaskChecklistItem.objects.filter(done_at__isnull=False).exists()


@pytest.mark.parametrize("who", ["other_member", "other_manager"])
def test_other_units_people_get_404_everywhere(network, client_for, task, unit_request, who):
    client = client_for(getattr(network, who))
    urls = _urls(network, task, unit_request)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, POST_DATA).status_code == 404, url
    _unchanged(task, unit_request)
    assert not AuditEvent.objects.filter(action="download").exists()
    # The other unit's id under one's own unit code is just as missing.
    own = network.other_unit.code
    assert client.get(reverse("franchise:task_detail", args=[own, task.pk])).status_code == 404
    assert (
        client.get(reverse("franchise:request_detail", args=[own, unit_request.pk])).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(network, client_for, task, unit_request):
    client = client_for(None)
    urls = _urls(network, task, unit_request)
    for url in [*urls["get"], *urls["post"], reverse("tasks:inbox")]:
        response = client.post(url, POST_DATA) if url in urls["post"] else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    _unchanged(task, unit_request)


def test_inbox_shows_only_own_portfolio(network, client_for, task, unit_request):
    html = client_for(network.manager).get(reverse("tasks:inbox")).content.decode()
    assert "Where is the new price list?" in html and "Repaint the sign" in html
    html = client_for(network.other_manager).get(reverse("tasks:inbox")).content.decode()
    assert "Where is the new price list?" not in html and "Repaint the sign" not in html
    # A unit member without a portfolio is sent to their unit's page instead.
    response = client_for(network.owner).get(reverse("tasks:inbox"))
    assert response.status_code == 302
    assert response["Location"] == reverse("franchise:unit_tasks", args=[network.unit.code])


def test_unit_people_cannot_assign_and_managers_cannot_ask(network, client_for):
    code = network.unit.code
    assert (
        client_for(network.owner).get(reverse("franchise:task_create", args=[code])).status_code
        == 404
    )
    manager = client_for(network.manager)
    assert manager.get(reverse("franchise:request_create", args=[code])).status_code == 404
    assert (
        client_for(network.lead).get(reverse("franchise:task_create", args=[code])).status_code
        == 404
    )


# The whole flow ---------------------------------------------------------------------------


def test_manager_assigns_unit_works_and_everyone_hears(
    network, client_for, django_capture_on_commit_callbacks
):
    code = network.unit.code
    manager = client_for(network.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("franchise:task_create", args=[code]),
            {
                "title": "Hang the summer posters",
                "description": "Both windows.",
                "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
                "responsible": network.member.pk,
                "checklist": "Unpack\n\nHang\n",
                "attachments": [upload("layout.pdf", make_pdf("layout"))],
            },
        )
    assert response.status_code == 302
    task = UnitTask.objects.get()
    assert [i.text for i in task.checklist.all()] == ["Unpack", "Hang"]
    assert task.attachments.get().original_name == "layout.pdf"
    assert {m.to[0] for m in mail.outbox} == {"member@example.com", "owner@example.com"}
    assert Notification.objects.filter(user=network.member, kind="task").count() == 1

    member = client_for(network.member)
    page = member.get(reverse("franchise:task_detail", args=[code, task.pk]))
    assert "Hang the summer posters" in page.content.decode()
    download = member.get(
        reverse("franchise:task_attachment", args=[code, task.pk, task.attachments.get().pk])
    )
    assert download["Content-Disposition"].startswith("attachment;")
    item = task.checklist.first()
    member.post(reverse("franchise:task_checklist", args=[code, task.pk, item.pk]), {"done": "1"})
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == network.member
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member.post(reverse("franchise:task_status", args=[code, task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == UnitTask.Status.DONE and task.completed_at
    assert {m.to[0] for m in mail.outbox} == {"manager@example.com", "owner@example.com"}
    # The unit cannot cancel; the franchisor can reopen.
    member.post(reverse("franchise:task_status", args=[code, task.pk]), {"status": "cancelled"})
    task.refresh_from_db()
    assert task.status == UnitTask.Status.DONE
    manager.post(reverse("franchise:task_status", args=[code, task.pk]), {"status": "in_progress"})
    task.refresh_from_db()
    assert task.status == UnitTask.Status.IN_PROGRESS


def test_bad_attachment_is_refused_and_nothing_saved(network, client_for, settings):
    response = client_for(network.manager).post(
        reverse("franchise:task_create", args=[network.unit.code]),
        {"title": "x", "attachments": [upload("evil.pdf", b"<html><script>1</script></html>")]},
    )
    assert response.status_code == 200
    assert "web page markup" in response.content.decode()
    assert not UnitTask.objects.exists() and not TaskAttachment.objects.exists()


def test_responsible_must_work_in_the_unit(network, client_for):
    response = client_for(network.manager).post(
        reverse("franchise:task_create", args=[network.unit.code]),
        {"title": "x", "responsible": network.other_member.pk},
    )
    assert response.status_code == 200
    assert "responsible" in response.context["form"].errors
    assert not UnitTask.objects.exists()


def test_question_goes_to_account_manager_and_answer_comes_back(
    network, client_for, django_capture_on_commit_callbacks
):
    code = network.unit.code
    owner = client_for(network.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            reverse("franchise:request_create", args=[code]),
            {"kind": "question", "subject": "Delivery on holidays?", "text": "Do you deliver?"},
        )
    unit_request = UnitRequest.objects.get()
    assert response.status_code == 302
    assert unit_request.assignee == network.manager and unit_request.due_date
    assert [m.to for m in mail.outbox] == [["manager@example.com"]]
    assert "Delivery on holidays?" in mail.outbox[0].subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.manager).post(
            reverse("franchise:request_comment", args=[code, unit_request.pk]),
            {"text": "Yes, on May 1st too.", "answer": "on"},
        )
    unit_request.refresh_from_db()
    assert unit_request.status == UnitRequest.Status.ANSWERED
    notice = Notification.objects.get(user=network.owner, kind="request")
    assert notice.title == "Answer to “Delivery on holidays?”"
    assert notice.body == "Yes, on May 1st too."
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    # The owner reads it in the notification centre and follows the link.
    centre = owner.get(reverse("notifications:list")).content.decode()
    assert "Answer to “Delivery on holidays?”" in centre
    page = owner.get(notice.url).content.decode()
    assert "Yes, on May 1st too." in page
    # A follow-up from the unit reopens it; the unit may close it.
    owner.post(
        reverse("franchise:request_comment", args=[code, unit_request.pk]), {"text": "And Sunday?"}
    )
    unit_request.refresh_from_db()
    assert unit_request.status == UnitRequest.Status.OPEN
    owner.post(
        reverse("franchise:request_status", args=[code, unit_request.pk]), {"status": "closed"}
    )
    unit_request.refresh_from_db()
    assert unit_request.status == UnitRequest.Status.CLOSED and unit_request.closed_at


def test_overdue_is_highlighted_and_turns_the_light_red(network, client_for):
    services.task_create(
        unit=network.unit,
        by=network.manager,
        title="Late one",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    html = (
        client_for(network.owner)
        .get(reverse("franchise:unit_tasks", args=[network.unit.code]))
        .content.decode()
    )
    assert 'class="row--overdue"' in html and "badge--overdue" in html
    from franchise.models import Franchisee

    statuses = exchange_hooks.task_statuses(Franchisee.objects.all())
    assert statuses[network.unit.pk][0] == dashboard.RED
    assert network.other_unit.pk not in statuses


# Query counts -------------------------------------------------------------------------------


def _make_many(network, n):
    for i in range(n):
        task = services.task_create(
            unit=network.unit,
            by=network.manager,
            title=f"Task {i}",
            responsible=network.member,
            due_date=timezone.localdate() + timedelta(days=i - 3),
            checklist=["a", "b"],
        )
        services.request_create(
            unit=network.unit, by=network.owner, kind="materials", subject=f"R{i}", text="x"
        )
        services.task_comment_add(task=task, by=network.owner, text="ok")


def test_lists_and_blocks_have_constant_query_counts(network, client_for):
    code = network.unit.code
    owner, manager = client_for(network.owner), client_for(network.manager)
    pages = [
        (owner, reverse("franchise:unit_tasks", args=[code])),
        (manager, reverse("franchise:unit_tasks", args=[code]) + "?status=all"),
        (manager, reverse("tasks:inbox")),
    ]
    request = RequestFactory().get("/")
    request.user = network.owner

    def block_queries():
        with CaptureQueriesContext(connection) as ctx:
            exchange_hooks.tasks_block(request, network.unit)
            exchange_hooks.documents_block(request, network.unit)
            exchange_hooks.task_statuses(network.unit.__class__.objects.all())
        return len(ctx.captured_queries)

    _make_many(network, 1)
    few = [_queries(c, u) for c, u in pages]
    few_blocks = block_queries()
    _make_many(network, 15)
    assert [_queries(c, u) for c, u in pages] == few
    assert block_queries() == few_blocks
