"""Writes of tasks (franchisor → unit) and requests (unit → franchisor).

Every change tells the other side: in the app and by e-mail (through `notify`, after commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access, notifications
from ..documents.validation import CheckedFile
from ..models import (
    Franchisee,
    Membership,
    Role,
    TaskAttachment,
    TaskChecklistItem,
    UnitRequest,
    UnitTask,
    WorkComment,
)

# Rights --------------------------------------------------------------------------------


def can_assign(user, unit: Franchisee) -> bool:
    return access.can(user, "review", unit)


def can_work(user, unit: Franchisee) -> bool:
    """Act on a unit's task or request: the unit's people and its reviewers."""
    return access.can(user, "work", unit) or access.can(user, "review", unit)


#: Who may move a task to which status: the unit works on it, the franchisor decides.
UNIT_TASK_MOVES = {
    UnitTask.Status.OPEN: {UnitTask.Status.IN_PROGRESS, UnitTask.Status.DONE},
    UnitTask.Status.IN_PROGRESS: {UnitTask.Status.DONE},
    UnitTask.Status.DONE: {UnitTask.Status.IN_PROGRESS},
    UnitTask.Status.CANCELLED: set(),
}
UNIT_REQUEST_MOVES = {
    UnitRequest.Status.OPEN: {UnitRequest.Status.CLOSED},
    UnitRequest.Status.IN_PROGRESS: {UnitRequest.Status.CLOSED},
    UnitRequest.Status.ANSWERED: {UnitRequest.Status.CLOSED, UnitRequest.Status.OPEN},
    UnitRequest.Status.CLOSED: {UnitRequest.Status.OPEN},
}


def task_moves(user, task: UnitTask) -> list[str]:
    if can_assign(user, task.unit):
        return [s for s in UnitTask.Status.values if s != task.status]
    if access.can(user, "work", task.unit):
        return sorted(UNIT_TASK_MOVES[task.status])
    return []


def request_moves(user, unit_request: UnitRequest) -> list[str]:
    if access.can(user, "review", unit_request.unit):
        return [s for s in UnitRequest.Status.values if s != unit_request.status]
    if access.can(user, "work", unit_request.unit):
        return sorted(UNIT_REQUEST_MOVES[unit_request.status])
    return []


# Who hears about it --------------------------------------------------------------------


def _unit_people(unit: Franchisee, roles=(Role.OWNER,)) -> list:
    return [
        m.user for m in Membership.objects.filter(unit=unit, role__in=roles).select_related("user")
    ]


def _task_audience(task: UnitTask) -> list:
    return [task.responsible, task.created_by, task.unit.account_manager, *_unit_people(task.unit)]


def _request_audience(unit_request: UnitRequest) -> list:
    return [
        unit_request.created_by,
        unit_request.assignee,
        unit_request.unit.account_manager,
        *_unit_people(unit_request.unit),
    ]


def _tell(recipients: Iterable, *, by, kind: str, title: str, body: str, url: str, unit) -> None:
    notifications.notify(
        recipients=[u for u in recipients if u is not None and u.pk != by.pk],
        kind=kind,
        title=title,
        body=body,
        url=url,
        unit=unit,
    )


def task_url(task: UnitTask) -> str:
    return reverse("franchise:task_detail", args=[task.unit.code, task.pk])


def request_url(unit_request: UnitRequest) -> str:
    return reverse("franchise:request_detail", args=[unit_request.unit.code, unit_request.pk])


# Tasks ---------------------------------------------------------------------------------


def _check_responsible(unit: Franchisee, responsible) -> None:
    if responsible is not None and not access.can(responsible, "work", unit):
        raise ValidationError({"responsible": _("The responsible person must work in the unit.")})


def _attach(task: UnitTask, files: Iterable[CheckedFile], by) -> None:
    for checked in files:
        attachment = TaskAttachment(
            task=task,
            original_name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
            uploaded_by=by,
        )
        attachment.file.save(checked.name, ContentFile(checked.data), save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(attachment.file.name)
            raise


@transaction.atomic
def task_create(
    *,
    unit: Franchisee,
    by,
    title: str,
    description: str = "",
    due_date: date | None = None,
    responsible=None,
    checklist: Iterable[str] = (),
    attachments: Iterable[CheckedFile] = (),
) -> UnitTask:
    if not can_assign(by, unit):
        raise PermissionDenied
    _check_responsible(unit, responsible)
    task = UnitTask.objects.create(
        unit=unit,
        title=title,
        description=description,
        due_date=due_date,
        responsible=responsible,
        created_by=by,
    )
    TaskChecklistItem.objects.bulk_create(
        [
            TaskChecklistItem(task=task, text=text, position=i)
            for i, text in enumerate(t for t in checklist if t.strip())
        ]
    )
    _attach(task, attachments, by)
    due = _("Due %(date)s.") % {"date": date_format(due_date)} if due_date else ""
    _tell(
        _task_audience(task),
        by=by,
        kind="task",
        title=_("New task: %(title)s") % {"title": title},
        body=" ".join(p for p in [due, description[:400]] if p),
        url=task_url(task),
        unit=unit,
    )
    return task


@dataclass(frozen=True)
class _Work:
    """How tasks and requests differ when their status changes."""

    kind: str  # of the notice
    stamp: str  # the timestamp the finishing status sets (and any other status clears)
    finished: str
    moves: Callable  # (user, item) -> the statuses the user may move it to
    audience: Callable
    url: Callable
    status_title: str  # the notice's title, with %(status)s and the item's name
    name_key: str


_WORK = {
    UnitTask: _Work(
        "task",
        "completed_at",
        UnitTask.Status.DONE,
        task_moves,
        _task_audience,
        task_url,
        gettext_lazy("Task “%(title)s”: %(status)s"),
        "title",
    ),
    UnitRequest: _Work(
        "request",
        "closed_at",
        UnitRequest.Status.CLOSED,
        request_moves,
        _request_audience,
        request_url,
        gettext_lazy("Request “%(subject)s”: %(status)s"),
        "subject",
    ),
}


def _set_status(item: UnitTask | UnitRequest, status: str) -> None:
    """Store a status; the finishing one (done / closed) also stamps when it happened."""
    work = _WORK[type(item)]
    now = timezone.now()
    item.status, item.updated_at = status, now
    setattr(item, work.stamp, now if status == work.finished else None)
    item.save(update_fields=["status", "updated_at", work.stamp])


def status_moves(user, item: UnitTask | UnitRequest) -> list[str]:
    return _WORK[type(item)].moves(user, item)


@transaction.atomic
def status_change(*, item: UnitTask | UnitRequest, by, status: str):
    """Move a task or request to `status` if `by` may, and tell everyone involved."""
    work = _WORK[type(item)]
    if status not in work.moves(by, item):
        raise PermissionDenied
    _set_status(item, status)
    _tell(
        work.audience(item),
        by=by,
        kind=work.kind,
        title=work.status_title % {work.name_key: str(item), "status": item.get_status_display()},
        body=_("Changed by %(name)s.") % {"name": by.get_full_name()},
        url=work.url(item),
        unit=item.unit,
    )
    return item


def task_status_change(*, task: UnitTask, by, status: str) -> UnitTask:
    return status_change(item=task, by=by, status=status)


@transaction.atomic
def task_checklist_toggle(*, item: TaskChecklistItem, by, done: bool) -> TaskChecklistItem:
    task = item.task
    if not can_work(by, task.unit) or not task.is_open:
        raise PermissionDenied
    item.done_at = timezone.now() if done else None
    item.done_by = by if done else None
    item.save(update_fields=["done_at", "done_by"])
    UnitTask.objects.filter(pk=task.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def task_update(
    *, task: UnitTask, by, due_date: date | None, responsible, checklist_add: Iterable[str] = ()
) -> UnitTask:
    """The franchisor moves the due date, hands the task to someone else, adds checklist items."""
    if not can_assign(by, task.unit):
        raise PermissionDenied
    _check_responsible(task.unit, responsible)
    changes = []
    if due_date != task.due_date:
        changes.append(
            _("New due date: %(date)s.") % {"date": date_format(due_date) if due_date else "—"}
        )
    if responsible != task.responsible:
        changes.append(
            _("Responsible: %(name)s.")
            % {"name": responsible.get_full_name() if responsible else "—"}
        )
    task.due_date, task.responsible, task.updated_at = due_date, responsible, timezone.now()
    task.save(update_fields=["due_date", "responsible", "updated_at"])
    start = task.checklist.count()
    new_items = [t for t in checklist_add if t.strip()]
    TaskChecklistItem.objects.bulk_create(
        [TaskChecklistItem(task=task, text=t, position=start + i) for i, t in enumerate(new_items)]
    )
    if new_items:
        changes.append(_("%(count)d checklist items added.") % {"count": len(new_items)})
    if changes:
        _tell(
            _task_audience(task),
            by=by,
            kind="task",
            title=_("Task “%(title)s” changed") % {"title": task.title},
            body=" ".join(changes),
            url=task_url(task),
            unit=task.unit,
        )
    return task


@transaction.atomic
def task_comment_add(
    *, task: UnitTask, by, text: str, attachments: Iterable[CheckedFile] = ()
) -> WorkComment:
    if not can_work(by, task.unit):
        raise PermissionDenied
    comment = WorkComment.objects.create(task=task, author=by, text=text.strip())
    attachments = list(attachments)
    _attach(task, attachments, by)
    UnitTask.objects.filter(pk=task.pk).update(updated_at=timezone.now())
    _tell(
        _task_audience(task),
        by=by,
        kind="task",
        title=_("%(name)s commented on “%(title)s”")
        % {"name": by.get_full_name(), "title": task.title},
        body=comment.text[:500],
        url=task_url(task),
        unit=task.unit,
    )
    return comment


# Requests ------------------------------------------------------------------------------


def request_due_date(now=None) -> date:
    """The answer is due after REQUESTS_ANSWER_DAYS working days."""
    day = timezone.localdate(now)
    left = getattr(settings, "REQUESTS_ANSWER_DAYS", 2)
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@transaction.atomic
def request_create(*, unit: Franchisee, by, kind: str, subject: str, text: str) -> UnitRequest:
    """A unit's request, routed to its account manager."""
    if not access.can(by, "work", unit):
        raise PermissionDenied
    unit_request = UnitRequest.objects.create(
        unit=unit,
        kind=kind,
        subject=subject,
        text=text,
        assignee=unit.account_manager,
        due_date=request_due_date(),
        created_by=by,
    )
    _tell(
        [unit.account_manager],
        by=by,
        kind="request",
        title=_("%(kind)s from %(unit)s: %(subject)s")
        % {
            "kind": unit_request.get_kind_display(),
            "unit": unit.trading_name,
            "subject": subject,
        },
        body=text[:500],
        url=request_url(unit_request),
        unit=unit,
    )
    return unit_request


def request_status_change(*, unit_request: UnitRequest, by, status: str) -> UnitRequest:
    return status_change(item=unit_request, by=by, status=status)


@transaction.atomic
def request_comment_add(
    *, unit_request: UnitRequest, by, text: str, answer: bool = False
) -> WorkComment:
    """A comment; the franchisor's reply marks an open request answered (`answer`)."""
    if not can_work(by, unit_request.unit):
        raise PermissionDenied
    comment = WorkComment.objects.create(request=unit_request, author=by, text=text.strip())
    is_franchisor = access.can(by, "review", unit_request.unit)
    if answer and is_franchisor and unit_request.is_open:
        _set_status(unit_request, UnitRequest.Status.ANSWERED)
        title = _("Answer to “%(subject)s”") % {"subject": unit_request.subject}
    else:
        if not is_franchisor and unit_request.status == UnitRequest.Status.ANSWERED:
            _set_status(unit_request, UnitRequest.Status.OPEN)
        else:
            UnitRequest.objects.filter(pk=unit_request.pk).update(updated_at=timezone.now())
        title = _("%(name)s commented on “%(subject)s”") % {
            "name": by.get_full_name(),
            "subject": unit_request.subject,
        }
    _tell(
        _request_audience(unit_request),
        by=by,
        kind="request",
        title=title,
        body=comment.text[:500],
        url=request_url(unit_request),
        unit=unit_request.unit,
    )
    return comment
