"""Registrations of visits in the cabinet shell and the scorecards (from AppConfig.ready)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from franchise import access
from portal import dashboard, navigation
from portal.dashboard import AMBER, RED

VISIT_COLUMNS = {
    "visit_score": float("nan"),
    "visit_trend": float("nan"),
    "visit_failed": 0,
    "overdue_corrective": 0,
}


def _nav_url(request):
    unit = getattr(request, "current_unit", None)
    if access.is_franchisor_staff(request.user):
        return reverse("visits:list")
    if unit:
        return reverse("visits:unit_visits", args=[unit.code])
    return None


def visits_block(request, unit):
    """Last score and trend, next planned visit: two queries."""
    from . import selectors

    return {"summary": selectors.unit_summary(unit)}


def load_columns(units: QuerySet, today: date) -> pd.DataFrame:
    """The last submitted visit's score, its change since the visit before (the trend) and
    result, and overdue open corrective tasks, per unit: two queries for all units."""
    from franchise.models import UnitTask

    from .models import Visit, VisitAnswer

    last = (
        Visit.objects.filter(unit__in=units, status=Visit.Status.SUBMITTED)
        .order_by("unit_id", "-submitted_at")
        .values_list("unit_id", "score", "passed")
    )
    nan = float("nan")
    seen: dict[int, list] = {}
    previous: dict[int, float] = {}
    for unit_id, score, passed in last.iterator():
        value = float(score) if score is not None else nan
        if unit_id not in seen:
            seen[unit_id] = [value, nan, int(not passed)]
        elif unit_id not in previous:
            previous[unit_id] = value
            seen[unit_id][1] = seen[unit_id][0] - value  # nan when either has no score
    overdue = dict.fromkeys(seen, 0)
    tasks = UnitTask.objects.filter(
        unit__in=units,
        status__in=UnitTask.OPEN_STATUSES,
        due_date__lt=today,
        pk__in=VisitAnswer.objects.filter(task__isnull=False).values("task_id"),
    ).values_list("unit_id", flat=True)
    for unit_id in tasks.iterator():
        overdue[unit_id] = overdue.get(unit_id, 0) + 1
    rows = [(u, *seen.get(u, (nan, nan, 0)), overdue.get(u, 0)) for u in set(seen) | set(overdue)]
    return pd.DataFrame(rows, columns=["unit_id", *VISIT_COLUMNS])


def visit_reasons(row, ctx):
    if row.get("visit_failed"):
        yield RED, _("failed the last visit")
    n = int(row.get("overdue_corrective") or 0)
    if n:
        text = ngettext("%(n)s corrective task overdue", "%(n)s corrective tasks overdue", n)
        yield AMBER, text % {"n": n}


def register() -> None:
    from reporting.network.scorecards import reasons, sources

    navigation.register(key="visits", label=gettext_lazy("Visits"), order=50, url=_nav_url)
    dashboard.register(
        key="visits",
        order=45,
        template="visits/dashboard_block.html",
        context=visits_block,
        depends_on=("visits",),
    )
    sources.register_columns(
        "visits",
        load=load_columns,
        defaults=VISIT_COLUMNS,
        labels=("visits", "franchise.UnitTask"),
        measures={
            "visit_score": (gettext_lazy("Last visit score"), "number"),
            "visit_trend": (gettext_lazy("Last visit score change"), "number"),
            "overdue_corrective": (gettext_lazy("Corrective tasks overdue"), "int"),
        },
    )
    reasons.register_reason("visits", visit_reasons, order=35)
    reasons.name_tasks_apart("overdue_corrective")
