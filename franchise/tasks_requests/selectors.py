"""Reads of tasks and requests; each list runs a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import access
from ..models import Franchisee, TaskChecklistItem, UnitRequest, UnitTask, WorkComment

OPEN_TASK = list(UnitTask.OPEN_STATUSES)
OPEN_REQUEST = list(UnitRequest.OPEN_STATUSES)


def _status_filter(qs, status: str, open_statuses):
    if status == "open":
        return qs.filter(status__in=open_statuses)
    if status == "overdue":
        return qs.filter(status__in=open_statuses, due_date__lt=timezone.localdate())
    if status:
        return qs.filter(status=status)
    return qs


def task_list(user, *, units: QuerySet[Franchisee] | None = None, status: str = "open"):
    """Tasks of the given units (default: every unit `user` may see), with checklist counts."""
    units = units if units is not None else access.units_visible_to(user)
    qs = UnitTask.objects.filter(unit__in=units).select_related("unit", "responsible")
    qs = _status_filter(qs, status, OPEN_TASK)
    return qs.annotate(
        items=Count("checklist", distinct=True),
        items_done=Count("checklist", filter=Q(checklist__done_at__isnull=False), distinct=True),
    ).order_by("due_date", "-pk")


def request_list(user, *, units: QuerySet[Franchisee] | None = None, status: str = "open"):
    units = units if units is not None else access.units_visible_to(user)
    qs = UnitRequest.objects.filter(unit__in=units).select_related("unit", "assignee", "created_by")
    qs = _status_filter(qs, status, OPEN_REQUEST)
    return qs.annotate(replies=Count("comments")).order_by("due_date", "-pk")


def task_for(user, unit: Franchisee, pk: int) -> UnitTask | None:
    """A task of `unit` (already checked for `user`); another unit's task is None."""
    return (
        UnitTask.objects.filter(unit=unit, pk=pk)
        .select_related("unit", "unit__account_manager", "responsible", "created_by")
        .prefetch_related(
            Prefetch("checklist", queryset=TaskChecklistItem.objects.select_related("done_by")),
            "attachments",
            Prefetch("comments", queryset=WorkComment.objects.select_related("author")),
        )
        .first()
    )


def request_for(user, unit: Franchisee, pk: int) -> UnitRequest | None:
    return (
        UnitRequest.objects.filter(unit=unit, pk=pk)
        .select_related("unit", "unit__account_manager", "assignee", "created_by")
        .prefetch_related(
            Prefetch("comments", queryset=WorkComment.objects.select_related("author"))
        )
        .first()
    )


def unit_block(unit: Franchisee, limit: int = 5) -> dict:
    """Open tasks and requests of one unit for the dashboard: three queries whatever the size."""
    today = timezone.localdate()
    tasks = list(
        UnitTask.objects.filter(unit=unit, status__in=OPEN_TASK)
        .select_related("responsible")
        .order_by("due_date", "-pk")[:limit]
    )
    requests = list(
        UnitRequest.objects.filter(unit=unit, status__in=OPEN_REQUEST + ["answered"]).order_by(
            "-updated_at", "-pk"
        )[:limit]
    )
    counts = UnitTask.objects.filter(unit=unit, status__in=OPEN_TASK).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    return {"tasks": tasks, "requests": requests, "counts": counts, "today": today}


def portfolio_statuses(units_qs) -> dict:
    """Traffic light per unit: red with overdue tasks or requests, amber with tasks due soon."""
    from portal import dashboard

    today = timezone.localdate()
    soon = today + timedelta(days=3)
    tasks = (
        UnitTask.objects.filter(unit__in=units_qs, status__in=OPEN_TASK)
        .values("unit_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
        )
        .order_by()
    )
    late_requests = dict(
        UnitRequest.objects.filter(unit__in=units_qs, status__in=OPEN_REQUEST, due_date__lt=today)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "n")
    )
    result = {}
    for row in tasks:
        if row["overdue"]:
            result[row["unit_id"]] = (
                dashboard.RED,
                ngettext("%(n)d task overdue", "%(n)d tasks overdue", row["overdue"])
                % {"n": row["overdue"]},
            )
        elif row["due_soon"]:
            result[row["unit_id"]] = (
                dashboard.AMBER,
                ngettext("%(n)d task due soon", "%(n)d tasks due soon", row["due_soon"])
                % {"n": row["due_soon"]},
            )
    for unit_id, n in late_requests.items():
        if result.get(unit_id, (None,))[0] != dashboard.RED:
            result[unit_id] = (dashboard.AMBER, _("%(n)d requests waiting") % {"n": n})
    return result
