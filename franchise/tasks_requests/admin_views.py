"""Pieces of the read-only Wagtail admin listings of tasks and requests.

Status changes, comments and reassignments go through `services` in the cabinet (rights,
notices, timestamps), so the admin lists, filters, exports and inspects only, and links each
row to its page in the cabinet. The listing's scope is `franchise.viewsets.NetworkViewSet`'s.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import TitleColumn
from wagtail.permission_policies.base import BasePermissionPolicy

from .. import access
from ..models import UnitRequest, UnitTask
from . import services


def oversees_units(user) -> bool:
    """Franchisor staff with units to watch: a network lead, or a manager with a portfolio.

    Remembered on the user object: the listing asks once per row for its buttons.
    """
    memo = user.__dict__.get("_oversees_units_memo")
    if memo is None:
        memo = access.has_network_right(user, "view") or (
            access.is_franchisor_staff(user) and access.units_visible_to(user, "review").exists()
        )
        user.__dict__["_oversees_units_memo"] = memo
    return memo


class OverseerPermissionPolicy(BasePermissionPolicy):
    """Viewing only, for those who oversee units; nobody adds, edits or deletes here."""

    def user_has_permission(self, user, action):
        return action == "view" and oversees_units(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and oversees_units(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(
            Q(is_superuser=True)
            | Q(groups__name__in=[access.NETWORK_LEADS, access.ACCOUNT_MANAGERS])
        ).distinct()


def _visible_units(request):
    if request is None:
        return access.units_visible_to(None)
    return access.units_visible_to(request.user).order_by("code")


class UnitWorkFilterSet(WagtailFilterSet):
    """Unit (only the viewer's), status, due date range and overdue."""

    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=_visible_units)
    due_date = django_filters.DateFromToRangeFilter(
        label=_("Due date"), widget=DateRangePickerWidget
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=queryset.model.OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class TaskFilterSet(UnitWorkFilterSet):
    class Meta:
        model = UnitTask
        fields = ["unit", "status", "due_date", "overdue"]


class RequestFilterSet(UnitWorkFilterSet):
    class Meta:
        model = UnitRequest
        fields = ["unit", "kind", "status", "due_date", "overdue"]


def cabinet_column(url) -> TitleColumn:
    """A link to the row's page in the cabinet, where the work is done."""
    return TitleColumn(
        "cabinet", label=_("In the cabinet"), accessor=lambda obj: _("Open"), get_url=url
    )


task_cabinet_column = cabinet_column(services.task_url)
request_cabinet_column = cabinet_column(services.request_url)
