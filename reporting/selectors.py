"""Reads of the reporting app. Each takes the user (or a unit already checked by access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from franchise import access
from franchise.models import Franchisee

from . import periods as P
from .models import ReportTemplate, Submission

#: How many closed periods the Reports page lists per template.
PERIODS_SHOWN = {"weekly": 6, "monthly": 4, "quarterly": 3}


def _name_key(name: str) -> str:
    return (name or "").casefold().replace("ё", "е")


def by_shown_name(templates) -> list[ReportTemplate]:
    """`templates` in the order of the names a reader sees: the active language's name, the
    English one where none was given (a database order by `name` would put those first)."""
    return sorted(templates, key=lambda t: (_name_key(str(t.name)), t.pk))


def default_template(templates) -> ReportTemplate:
    """The template a page opens with when none is asked for: the first by its English
    (canonical) name, so the same one in every language."""
    return min(templates, key=lambda t: (_name_key(t.name_en or str(t.name)), t.pk))


def templates_for_unit(unit: Franchisee) -> list[ReportTemplate]:
    """Active templates whose audience includes the unit (no regions = every unit), by the
    shown name."""
    return by_shown_name(
        ReportTemplate.objects.filter(is_active=True)
        .filter(Q(audience_regions__isnull=True) | Q(audience_regions=unit.region_id))
        .distinct()
    )


def units_in_audience(template: ReportTemplate) -> QuerySet[Franchisee]:
    regions = template.audience_regions.all()
    units = Franchisee.objects.all()
    return units.filter(region__in=regions) if regions else units


def template_for_unit_or_404(unit: Franchisee, slug: str) -> ReportTemplate:
    return get_object_or_404(
        ReportTemplate.objects.filter(is_active=True)
        .filter(Q(audience_regions__isnull=True) | Q(audience_regions=unit.region_id))
        .distinct(),
        slug=slug,
    )


@dataclass
class ReportRow:
    template: ReportTemplate
    period: P.Period
    due_date: date
    submission: Submission | None
    state: str  # due, overdue, draft, submitted, returned, approved

    @property
    def is_open(self) -> bool:
        return self.state in ("due", "overdue", "draft", "returned")


def _state(submission: Submission | None, due: date, today: date) -> str:
    if submission is None or submission.status == Submission.Status.DRAFT:
        if today > due:
            return "overdue"
        return "draft" if submission else "due"
    return submission.status


def unit_report_rows(unit: Franchisee, *, today: date) -> list[ReportRow]:
    """What the unit has to report, per template and period: two queries whatever the size."""
    templates = templates_for_unit(unit)
    wanted = {}
    for template in templates:
        for period in P.recent_periods(
            template.period_kind, today, PERIODS_SHOWN[template.period_kind]
        ):
            wanted[(template.pk, period.start)] = (template, period)
    oldest = min((p.start for _, p in wanted.values()), default=today)
    submissions = {
        (s.template_id, s.period_start): s
        for s in Submission.objects.filter(unit=unit, template__in=templates).filter(
            Q(period_start__gte=oldest) | Q(status=Submission.Status.RETURNED)
        )
    }
    for key in submissions:
        if key not in wanted:
            template = next(t for t in templates if t.pk == key[0])
            wanted[key] = (template, P.period_containing(template.period_kind, key[1]))
    rows = []
    for key, (template, period) in wanted.items():
        submission = submissions.get(key)
        due = submission.due_date if submission else period.due_date(template.due_days)
        rows.append(ReportRow(template, period, due, submission, _state(submission, due, today)))
    rows.sort(key=_due_first)
    return rows


def _due_first(row: ReportRow) -> tuple:
    """Open reports first, the one due soonest (or most overdue) on top; then the rest,
    newest period first."""
    if row.is_open:
        return (0, row.due_date.toordinal(), row.template.name)
    return (1, -row.period.start.toordinal(), row.template.name)


def review_queue(user, *, template: ReportTemplate | None = None, status: str = "submitted"):
    """Reports of the user's portfolio waiting for review (or in another status)."""
    qs = access.visible_to(user, Submission.objects.all(), "review").filter(status=status)
    if template is not None:
        qs = qs.filter(template=template)
    return qs.select_related("unit", "unit__region", "template", "submitted_by").order_by(
        "submitted_at", "pk"
    )


def submission_for_review_or_404(request, pk: int) -> Submission:
    submission = (
        access.visible_to(request.user, Submission.objects.all(), "review")
        .select_related("unit", "unit__region", "template", "version", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        access.deny(request, target=f"report:{pk}", action="review")
    return submission


def portfolio_units(user, action: str = "review") -> QuerySet[Franchisee]:
    if access.has_network_right(user):
        return Franchisee.objects.all()
    return access.units_visible_to(user, action)


def late_and_missing(user, *, template: ReportTemplate, period: P.Period, today: date):
    """Units of the user's portfolio that have not submitted the period's report.

    One query: each unit annotated with whether a submitted/approved report exists.
    """
    due = period.due_date(template.due_days)
    done = Submission.objects.filter(
        unit=OuterRef("pk"),
        template=template,
        period_start=period.start,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
    )
    units = portfolio_units(user).filter(status=Franchisee.Status.ACTIVE)
    regions = list(template.audience_regions.values_list("pk", flat=True))
    if regions:
        units = units.filter(region__in=regions)
    missing = (
        units.annotate(done=Exists(done))
        .filter(done=False)
        .select_related("region", "account_manager")
        .order_by("region__name", "code")
    )
    return {"due": due, "is_late": today > due, "units": missing}


def unit_submissions(unit: Franchisee, template: ReportTemplate) -> QuerySet[Submission]:
    return Submission.objects.filter(unit=unit, template=template).order_by("-period_start")


def templates_visible(user) -> list[ReportTemplate]:
    return by_shown_name(ReportTemplate.objects.filter(is_active=True))
