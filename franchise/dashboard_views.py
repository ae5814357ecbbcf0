"""The unit dashboard (the page after login) and the manager's portfolio dashboard.

Both only assemble what other parts register in `portal.dashboard`: blocks for one unit, and
status providers (traffic lights) for many units at once. Each block or provider runs a fixed
number of queries, so neither page grows with the amount of data behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import dashboard, versions

from . import access, selectors
from .forms import UnitFilterForm
from .models import Franchisee

UNITS_PER_PAGE = 50
#: What the status providers read: reports, training, tasks and requests, pages.
STATUS_APPS = (*dashboard.SHELL_APPS, "learning", "reporting", "wagtailcore")

#: Worse is bigger; unknown levels count as green.
LEVEL_RANK = {dashboard.GREEN: 0, dashboard.AMBER: 1, dashboard.RED: 2}
LEVEL_LABELS = {
    dashboard.GREEN: _("Green"),
    dashboard.AMBER: _("Amber"),
    dashboard.RED: _("Red"),
}


# Unit dashboard ----------------------------------------------------------------------


@login_required
def unit_dashboard(request, code):
    """What the unit must do now, one card per part, for its people and its account manager."""
    unit = access.get_unit_or_404(request, code)
    return render(
        request,
        "franchise/franchisee.html",
        {
            "unit": unit,
            "blocks": dashboard.render_blocks(request, unit),
            "people": selectors.unit_people(unit),
            "can_manage_members": access.can(request.user, "manage_members", unit)
            or access.can(request.user, "review", unit),
        },
    )


# Portfolio dashboard -----------------------------------------------------------------


class PortfolioFilterForm(UnitFilterForm):
    signal = forms.ChoiceField(
        label=_("Signals"),
        choices=[
            ("", _("All units")),
            ("attention", _("Red or amber")),
            (dashboard.RED, _("Red only")),
        ],
        required=False,
    )


def portfolio_units(user) -> QuerySet[Franchisee] | None:
    """Units on the user's portfolio dashboard; None for people who have no portfolio.

    A network lead watches every unit; an account manager the units they review.
    """
    if access.has_network_right(user):
        return access.units_visible_to(user)
    units = access.units_visible_to(user, "review")
    return units if units.exists() else None


@dataclass
class PortfolioRow:
    unit_id: int
    sort_name: str
    lights: list[dict] = field(default_factory=list)  # {provider, level, label, reason}

    @property
    def worst(self) -> int:
        return max((LEVEL_RANK[light["level"]] for light in self.lights), default=0)

    def sort_key(self):
        ranks = [LEVEL_RANK[light["level"]] for light in self.lights]
        return (-self.worst, -ranks.count(2), -ranks.count(1), self.sort_name)


def _filtered(units: QuerySet, filters: dict) -> QuerySet:
    if q := filters.get("q"):
        units = units.filter(
            Q(code__icontains=q) | Q(trading_name__icontains=q) | Q(city__icontains=q)
        )
    if region := filters.get("region"):
        units = units.filter(region=region)
    if status := filters.get("status"):
        units = units.filter(status=status)
    return units


def _statuses(provider, units: QuerySet, scope: tuple) -> dict:
    """One provider's traffic lights for the units, kept until anything they read is written."""

    def compute():
        lights = provider.statuses(units)
        return {pk: (level, str(reason)) for pk, (level, reason) in lights.items()}

    return versions.cached(("portfolio-statuses", provider.key, *scope), STATUS_APPS, compute)


def portfolio_rows(units: QuerySet, signal: str = "") -> tuple[list[PortfolioRow], dict]:
    """Rows of the portfolio table, the worst first, and per-provider counts of each level.

    One query for the units' ids and names, then each provider once for all of them.
    """
    providers = dashboard.status_providers()
    rows = {
        pk: PortfolioRow(pk, name)
        for pk, name in units.order_by().values_list("pk", "trading_name")
    }
    scope = (versions.digest(sorted(rows)), get_language(), timezone.localdate().isoformat())
    summary = {}
    for provider in providers:
        statuses = _statuses(provider, units, scope) if rows else {}
        counts = dict.fromkeys(LEVEL_RANK, 0)
        for pk, row in rows.items():
            level, reason = statuses.get(pk, (dashboard.GREEN, ""))
            level = level if level in LEVEL_RANK else dashboard.GREEN
            row.lights.append(
                {
                    "provider": provider,
                    "level": level,
                    "label": LEVEL_LABELS[level],
                    "reason": reason,
                }
            )
            counts[level] += 1
        summary[provider.key] = {"provider": provider, "counts": counts}
    ordered = sorted(rows.values(), key=PortfolioRow.sort_key)
    if signal == dashboard.RED:
        ordered = [r for r in ordered if r.worst >= LEVEL_RANK[dashboard.RED]]
    elif signal == "attention":
        ordered = [r for r in ordered if r.worst >= LEVEL_RANK[dashboard.AMBER]]
    return ordered, summary


@login_required
def portfolio(request):
    """Every unit of a manager's portfolio (a lead: the network) with its traffic lights."""
    scope = portfolio_units(request.user)
    if scope is None:
        access.deny(request, target="portfolio", action="review")
    form = PortfolioFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows, summary = portfolio_rows(_filtered(scope, filters), filters.get("signal", ""))
    page = Paginator(rows, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    units = Franchisee.objects.select_related("region", "account_manager").in_bulk(
        [row.unit_id for row in page]
    )
    for row in page:
        row.unit = units[row.unit_id]
    return render(
        request,
        "franchise/portfolio.html",
        {
            "form": form,
            "page": page,
            "providers": dashboard.status_providers(),
            "summary": list(summary.values()),
            "is_network": access.has_network_right(request.user),
        },
    )
