"""What reporting contributes to the cabinet shell: the nav entry, the unit dashboard block
and the portfolio traffic light. Each runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from franchise import access
from portal.dashboard import AMBER, GREEN, RED

from . import periods as P
from . import selectors, summaries
from .models import ReportTemplate, Submission

#: Days after the due date when a missing report turns the light red.
RED_AFTER_DAYS = 7


def home_target(request) -> str | None:
    """Where "Reports" leads this person: the unit's reports, the review queue, the network's
    reports (network leads), or nowhere (editors, people of no unit)."""
    user = request.user
    unit = getattr(request, "current_unit", None)
    if unit is not None and access.memberships_of(user).exists():
        return reverse("reporting:unit_reports", args=[unit.code])
    if access.units_visible_to(user, "review").exists():
        return reverse("reporting:review_queue")
    if access.has_network_right(user):
        return reverse("reporting:network")
    return None


def nav_url(request) -> str | None:
    """The menu entry, shown only to those whom it leads somewhere (never to a 404)."""
    if not request.user.is_authenticated or home_target(request) is None:
        return None
    return reverse("reporting:home")


def dashboard_context(request, unit) -> dict | None:
    today = timezone.localdate()
    rows = selectors.unit_report_rows(unit, today=today)
    if not rows:
        return None
    open_rows = [r for r in rows if r.is_open]
    templates = [r.template for r in rows]
    monthly = [t for t in templates if t.period_kind == "monthly"]
    main = selectors.default_template(monthly or templates)
    return {
        "unit": unit,
        "open_rows": open_rows[:5],
        "open_count": len(open_rows),
        "figures": summaries.key_figures(unit, main, today=today),
    }


def portfolio_statuses(units) -> dict:
    """Red: a report missing over a week after its due date; amber: overdue or returned."""
    today = timezone.localdate()
    templates = list(
        ReportTemplate.objects.filter(is_active=True).prefetch_related("audience_regions")
    )
    if not templates:
        return {}
    unit_rows = list(units.values_list("pk", "region_id"))
    periods = {t.pk: P.last_closed(t.period_kind, today) for t in templates}
    match = Q(pk__in=[])
    for t in templates:
        match |= Q(template=t, period_start=periods[t.pk].start)
    done = {
        (unit_id, template_id): status
        for unit_id, template_id, status in Submission.objects.filter(match)
        .filter(unit__in=[pk for pk, _ in unit_rows])
        .values_list("unit_id", "template_id", "status")
    }
    result = {}
    for unit_id, region_id in unit_rows:
        worst, reasons = GREEN, []
        for t in templates:
            regions = {r.pk for r in t.audience_regions.all()}
            if regions and region_id not in regions:
                continue
            period = periods[t.pk]
            due = period.due_date(t.due_days)
            status = done.get((unit_id, t.pk))
            if status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED):
                continue
            if status == Submission.Status.RETURNED:
                worst = AMBER if worst == GREEN else worst
                reasons.append(_("%(name)s returned") % {"name": t.name})
            elif (today - due).days > RED_AFTER_DAYS:
                worst = RED
                reasons.append(
                    _("%(name)s %(period)s missing") % {"name": t.name, "period": period.label}
                )
            elif today > due:
                worst = AMBER if worst == GREEN else worst
                reasons.append(
                    _("%(name)s %(period)s overdue") % {"name": t.name, "period": period.label}
                )
        if reasons:
            result[unit_id] = (worst, "; ".join(reasons))
    return result
