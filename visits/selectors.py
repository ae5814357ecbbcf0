"""Reads of visits, each taking the user; a fixed number of queries whatever the rows."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd
from django.db.models import QuerySet
from django.http import Http404

from franchise import access
from franchise.models import Franchisee

from . import scoring
from .models import ChecklistTemplate, Visit, VisitAnswer


def staff_units(user) -> QuerySet[Franchisee] | None:
    """The units whose visits the franchisor's person plans or reads: the whole network for
    leads, the portfolio (review right) for managers; None for people of a unit."""
    if access.has_network_right(user):
        return access.units_visible_to(user)
    if access.is_franchisor_staff(user):
        return access.units_visible_to(user, "review")
    return None


def visit_list(user, *, units, status: str = "", month: date | None = None) -> QuerySet[Visit]:
    visits = access.visible_to(user, Visit.objects.all()).filter(unit__in=units)
    if status:
        visits = visits.filter(status=status)
    if month:
        last = calendar.monthrange(month.year, month.month)[1]
        visits = visits.filter(planned_date__range=(month, month.replace(day=last)))
    return visits.select_related("unit", "template", "visitor").order_by("-planned_date", "-pk")


def month_weeks(user, *, units, month: date) -> list[list[dict]]:
    """The month as weeks of days (Monday first), each day with its visits; one query."""
    by_day: dict[date, list[Visit]] = {}
    for visit in visit_list(user, units=units, month=month).order_by("planned_date", "unit__code"):
        by_day.setdefault(visit.planned_date, []).append(visit)
    weeks = calendar.Calendar().monthdatescalendar(month.year, month.month)
    return [
        [{"day": d, "in_month": d.month == month.month, "visits": by_day.get(d, [])} for d in week]
        for week in weeks
    ]


def visit_of(user, unit: Franchisee, pk: int) -> Visit:
    """One visit of a unit the user sees; 404 for anything else."""
    visit = (
        access.visible_to(user, Visit.objects.filter(unit=unit, pk=pk))
        .select_related("unit", "template", "version", "visitor")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def shows_result(user, visit: Visit) -> bool:
    """The unit sees the result once submitted; the franchisor also while it is filled in."""
    return visit.status == Visit.Status.SUBMITTED or staff_units(user) is not None


def answers_of(visit: Visit) -> dict[str, VisitAnswer]:
    return {a.item_key: a for a in visit.answers.select_related("task")}


def previous_visit(visit: Visit) -> Visit | None:
    """The last submitted visit of the same unit and checklist before this one."""
    earlier = Visit.objects.filter(
        unit_id=visit.unit_id, template_id=visit.template_id, status=Visit.Status.SUBMITTED
    ).exclude(pk=visit.pk)
    if visit.submitted_at:
        earlier = earlier.filter(submitted_at__lt=visit.submitted_at)
    return earlier.order_by("-submitted_at").first()


def _label(answer: VisitAnswer | None) -> str:
    if answer is None:
        return ""
    if answer.na:
        return "n/a"
    return "" if answer.value is None else f"{answer.value.normalize():f}"


def comparison(visit: Visit) -> tuple[Visit | None, list[dict]]:
    """Item by item: this visit's answer beside the previous one's, and what changed.

    `change` is fixed / broke / still_failed / same (or new, for an item the earlier version
    did not have); items are matched by their key across versions.
    """
    now = answers_of(visit)
    before = previous_visit(visit)
    then = answers_of(before) if before else {}
    rows = []
    for section, items in scoring.sections(visit.version.shown_items):
        for item in items:
            a, b = now.get(item["key"]), then.get(item["key"])
            ok, was = (a.passed if a else None), (b.passed if b else None)
            if before is None or b is None:
                change = "new" if before else ""
            elif was is False and ok is True:
                change = "fixed"
            elif was is True and ok is False:
                change = "broke"
            elif was is False and ok is False:
                change = "still_failed"
            else:
                change = "same"
            rows.append(
                {
                    "section": section,
                    "item": item,
                    "answer": a,
                    "value": _label(a),
                    "passed": ok,
                    "before": _label(b),
                    "before_passed": was,
                    "change": change,
                }
            )
    return before, rows


def unit_summary(unit: Franchisee) -> dict:
    """Last score and trend (last five submitted visits) and the next planned visit: two queries."""
    done = list(
        Visit.objects.filter(unit=unit, status=Visit.Status.SUBMITTED)
        .select_related("template")
        .order_by("-submitted_at")[:5]
    )
    upcoming = (
        Visit.objects.filter(unit=unit, status__in=[Visit.Status.PLANNED, Visit.Status.DRAFT])
        .select_related("template")
        .order_by("planned_date")
        .first()
    )
    last = done[0] if done else None
    trend = None
    if len(done) >= 2 and last.score is not None and done[1].score is not None:
        trend = last.score - done[1].score
    return {"last": last, "recent": list(reversed(done)), "trend": trend, "upcoming": upcoming}


def network_figures(user, *, units) -> dict:
    """Score distribution per region (quartiles, pass rate) and the most often failed items.

    Two queries straight into pandas, whatever the number of visits.
    """
    visits = access.visible_to(user, Visit.objects.filter(status=Visit.Status.SUBMITTED)).filter(
        unit__in=units
    )
    frame = pd.DataFrame(
        list(visits.values_list("unit__region__name", "score", "passed")),
        columns=["region", "score", "passed"],
    )
    regions = []
    if not frame.empty:
        frame["score"] = frame["score"].astype(float)
        grouped = frame.groupby("region", sort=True)
        for region, rows in grouped:
            scores = rows["score"].dropna()
            regions.append(
                {
                    "region": region,
                    "visits": len(rows),
                    "median": round(scores.median(), 1) if len(scores) else None,
                    "q1": round(scores.quantile(0.25), 1) if len(scores) else None,
                    "q3": round(scores.quantile(0.75), 1) if len(scores) else None,
                    "failed_share": round(100 * (~rows["passed"].astype(bool)).mean()),
                    "bins": [
                        int(((scores >= lo) & (scores < lo + 20)).sum()) for lo in range(0, 80, 20)
                    ]
                    + [int((scores >= 80).sum())],
                }
            )
    failed = pd.DataFrame(
        list(
            VisitAnswer.objects.filter(visit__in=visits, passed=False).values_list(
                "visit__template_id", "item_key"
            )
        ),
        columns=["template", "key"],
    )
    top = []
    if not failed.empty:
        counts = failed.value_counts().head(10)
        names, texts = _texts({int(t) for t, _k in counts.index})
        top = [
            {"template": names[t], "key": k, "text": texts.get((t, k), k), "count": int(n)}
            for (t, k), n in counts.items()
        ]
    return {"regions": regions, "top_failed": top}


def _texts(template_ids) -> tuple[dict[int, str], dict[tuple[int, str], str]]:
    """Names of the templates and texts of their items (by template and key) in the active
    language: two queries."""
    templates = ChecklistTemplate.objects.filter(pk__in=template_ids).prefetch_related("items")
    names = {t.pk: t.name for t in templates}
    texts = {(t.pk, i.key): i.text for t in templates for i in t.items.all()}
    return names, texts
