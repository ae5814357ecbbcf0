"""Registrations of documents, tasks and requests in the cabinet shell (from AppConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import dashboard, navigation

from . import access


def _documents_url(request):
    unit = getattr(request, "current_unit", None)
    if unit:
        return reverse("franchise:unit_documents", args=[unit.code])
    if access.sees_whole_library(request.user):
        return reverse("documents:library")
    return None


def _tasks_url(request):
    unit = getattr(request, "current_unit", None)
    if unit:
        return reverse("franchise:unit_tasks", args=[unit.code])
    # Editors are franchisor staff too, but follow no unit: no link rather than a 404.
    if access.units_following_tasks(request.user).exists():
        return reverse("tasks:inbox")
    return None


def tasks_block(request, unit):
    """Open tasks and requests of the unit: three queries plus one rights check."""
    from .tasks_requests import selectors

    return {**selectors.unit_block(unit), "can_ask": access.can(request.user, "work", unit)}


def documents_block(request, unit):
    """The latest must-read documents the viewer has not acknowledged: two queries."""
    from .documents import selectors

    return {"documents": selectors.must_read_to_acknowledge(request.user, unit)}


def task_statuses(units_qs):
    from .tasks_requests import selectors

    return selectors.portfolio_statuses(units_qs)


def register() -> None:
    navigation.register(key="documents", label=_("Documents"), order=40, url=_documents_url)
    navigation.register(key="tasks", label=_("Tasks"), order=45, url=_tasks_url)
    dashboard.register(
        key="tasks",
        order=30,
        template="franchise/tasks/dashboard_block.html",
        context=tasks_block,
        depends_on=(),
    )
    dashboard.register(
        key="documents",
        order=40,
        template="franchise/documents/dashboard_block.html",
        context=documents_block,
        depends_on=(),
    )
    dashboard.register_status(
        key="tasks", label=_("Tasks"), order=30, statuses=task_statuses, depends_on=()
    )
