"""The unit dashboard (the page after login) and the manager's portfolio dashboard.

Both only assemble what other parts register in `portal.dashboard`: blocks for one unit, and
status providers (traffic lights) for many units at once. Each block or provider runs a fixed
number of queries, so neither page grows with the amount of data behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import dashboard, versions
from portal.search import words_q

from . import access, selectors
from .forms import UnitFilterForm
from .models import Franchisee

UNITS_PER_PAGE = 50

#: Worse is bigger; unknown levels count as green.
LEVEL_RANK = {dashboard.GREEN: 0, dashboard.AMBER: 1, dashboard.RED: 2}
LEVEL_LABELS = dashboard.LEVEL_LABELS


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
        units = units.filter(words_q(q, "code", "trading_name", "city"))
    if region := filters.get("region"):
        units = units.filter(region=region)
    if status := filters.get("status"):
        units = units.filter(status=status)
    return units


def portfolio_lights(units: QuerySet) -> tuple[str, Callable[[], dict]]:
    """(revision, getter of {unit id: PortfolioRow}) of the units' traffic lights.

    One query for the units' ids and names; the lights are kept under the data versions of
    what the providers read (a 1,600-unit portfolio costs a cache read, not 6,000 lights per
    request), and a report or certificate of one unit recomputes that unit's lights only.
    """
    providers = dashboard.status_providers()
    names = dict(units.order_by().values_list("pk", "trading_name"))
    scope = (versions.digest(sorted(names)), get_language(), timezone.localdate().isoformat())

    def lights_of(ids) -> dict[int, PortfolioRow]:
        chosen = units.filter(pk__in=ids) if ids is not names else units
        statuses = [p.statuses(chosen) if ids else {} for p in providers]
        rows = {}
        for pk in ids:
            row = PortfolioRow(pk, names[pk])
            for provider, found in zip(providers, statuses, strict=True):
                level, reason = found.get(pk, (dashboard.GREEN, ""))
                level = level if level in LEVEL_RANK else dashboard.GREEN
                row.lights.append({"provider": provider.key, "level": level, "reason": str(reason)})
            rows[pk] = row
        return rows

    def patch(rows: dict, changed: set[int]) -> dict:
        mine = sorted(changed & rows.keys())
        if not mine:
            return rows
        fresh = lights_of(mine)
        # The same lights (a draft saved): the same rows, so the pages kept under them stay.
        return rows if all(rows[pk] == fresh[pk] for pk in mine) else {**rows, **fresh}

    keys = tuple(p.key for p in providers)
    return versions.cached_for_units(
        ("portfolio-lights", keys, *scope),
        dashboard.status_labels(),
        lambda: lights_of(names),
        patch,
    )


def portfolio_rows(units: QuerySet, signal: str = "", lights=None) -> tuple[list, dict]:
    """Rows of the portfolio table, the worst first, and per-provider counts of each level
    (`lights`: what `portfolio_lights(units)` gave). Rows carry levels only: `with_lights`
    fills in the lights of the rows a page shows."""
    providers = dashboard.status_providers()
    revision, rows_of = lights or portfolio_lights(units)

    def order():
        summary = {p.key: dict.fromkeys(LEVEL_RANK, 0) for p in providers}
        for row in rows_of().values():
            for light in row.lights:
                summary[light["provider"]][light["level"]] += 1
        return sorted(rows_of().values(), key=PortfolioRow.sort_key), summary

    keys = tuple(p.key for p in providers)
    ordered, counts = versions.cached(("portfolio-rows", keys, revision), (), order)
    if signal == dashboard.RED:
        ordered = [r for r in ordered if r.worst >= LEVEL_RANK[dashboard.RED]]
    elif signal == "attention":
        ordered = [r for r in ordered if r.worst >= LEVEL_RANK[dashboard.AMBER]]
    summary = {p.key: {"provider": p, "counts": counts[p.key]} for p in providers}
    return ordered, summary


def with_lights(rows, providers) -> None:
    """Give the rows shown their providers and level labels (not kept in the cache)."""
    by_key = {p.key: p for p in providers}
    for row in rows:
        row.lights = [
            {**light, "provider": by_key[light["provider"]], "label": LEVEL_LABELS[light["level"]]}
            for light in row.lights
        ]


@login_required
def portfolio(request):
    """Every unit of a manager's portfolio (a lead: the network) with its traffic lights.

    The summary and the table of the page asked for are kept as HTML per scope, query string
    and language under the revision of the lights (`portfolio_lights`): an unchanged
    portfolio of 1,600 units costs the scope and names queries and a few cache reads.
    """
    scope = portfolio_units(request.user)
    if scope is None:
        access.deny(request, target="portfolio", action="review")
    form = PortfolioFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = _filtered(scope, filters)
    is_network = access.has_network_right(request.user)

    lights = portfolio_lights(units)
    query = tuple(sorted((k, v) for k, v in request.GET.items() if k in form.fields))
    versions.note_asked(
        "portfolio", (request.user.pk, query, get_language()), today=timezone.localdate()
    )

    def render_parts():
        rows, summary = portfolio_rows(units, filters.get("signal", ""), lights)
        page = Paginator(rows, UNITS_PER_PAGE).get_page(request.GET.get("page"))
        providers = dashboard.status_providers()
        with_lights(page, providers)
        found = Franchisee.objects.select_related("region", "account_manager").in_bulk(
            [row.unit_id for row in page]
        )
        for row in page:
            row.unit = found[row.unit_id]
        context = {
            "page": page,
            "providers": providers,
            "summary": list(summary.values()),
            "is_network": is_network,
        }
        return {
            "count": page.paginator.count,
            "summary": render_to_string("franchise/portfolio_summary.html", context, request),
            "table": render_to_string("franchise/portfolio_table.html", context, request),
        }

    params = [*PortfolioFilterForm.base_fields, "page"]
    scope = access.portfolio_scope_key(request.user)
    # SafeString survives the pickle: the parts render as HTML.
    cached = versions.cached_page(
        request,
        "portfolio-page",
        scope,
        params,
        versions.per_unit((*dashboard.SHELL_APPS, *dashboard.status_labels())),
        render_parts,
        within=lights[0],
    )
    return render(
        request,
        "franchise/portfolio.html",
        {"form": form, "parts": cached, "is_network": is_network},
    )


def refresh_kept(*, today) -> int:
    """Bring the lights of each portfolio shown today up to date now (run after a unit's write
    commits: `tasks.portfolio_refresh_task`), so that its next reader finds them patched: a
    portfolio without the unit written costs a few cache reads. The portfolios refreshed."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    asked = versions.asked_today("portfolio", today=today)
    users = get_user_model().objects.in_bulk({entry[0] for entry in asked})
    done = 0
    for user_pk, query, language in asked:
        user = users.get(user_pk)
        scope = portfolio_units(user) if user is not None and user.is_active else None
        if scope is None:
            continue
        form = PortfolioFilterForm(dict(query))
        filters = form.cleaned_data if form.is_valid() else {}
        units = _filtered(scope, filters)
        with translation.override(language):
            portfolio_rows(units, filters.get("signal", ""), portfolio_lights(units))
        done += 1
    return done
