"""Managers' and network leads' pages: network table, scorecard, charts, comparison, adoption,
digest, exports. Thin: scope from `scorecards.units_in_scope`, numbers from the modules."""

from __future__ import annotations

import math

import pandas as pd
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from franchise import access
from portal import versions
from portal.pdf import render_pdf
from portal.search import query_words
from reporting import exports

from . import adoption as adoption_mod
from . import charts, digest, scorecards
from .forms import NO_MANAGER, CompareForm, MeasureForm, NetworkFilterForm

PER_PAGE = 50
TEXT_SORTS = {"code", "name", "region", "manager"}
DEFAULT_SORT = "-status"


def _today():
    return timezone.localdate()


def _scope_or_404(request, target: str):
    units = scorecards.units_in_scope(request.user)
    if units is None:
        access.deny(request, target=f"network:{target}", action="review")
    return units


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    return value


def _records(table: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in table.to_dict("records")]


# The network table --------------------------------------------------------------------


def filter_table(table: pd.DataFrame, data: dict) -> pd.DataFrame:
    for word in query_words((data.get("q") or "").lower()):
        table = table[
            table["code"].str.lower().str.contains(word, regex=False)
            | table["name"].str.lower().str.contains(word, regex=False)
            | table["city"].str.lower().str.contains(word, regex=False)
        ]
    if region := data.get("region"):
        table = table[table["region_id"] == region.pk]
    if data.get("manager") == NO_MANAGER:
        table = table[table["manager_id"].isna()]
    elif manager := data.get("manager"):
        table = table[table["manager_id"] == manager]
    if status := data.get("status"):
        table = table[table["status"] == status]
    if measure := data.get("measure"):
        column = table[measure].astype(float)
        factor = 100 if scorecards.MEASURES[measure][1] == "pct" else 1
        if data.get("min") is not None:
            table = table[column * factor >= float(data["min"])]
            column = table[measure].astype(float)
        if data.get("max") is not None:
            table = table[column * factor <= float(data["max"])]
    return table


def sort_table(table: pd.DataFrame, sort: str) -> tuple[pd.DataFrame, str]:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "status":
        ordered = table.sort_values(
            ["status_rank", "score", "code"], ascending=[not descending, not descending, True]
        )
        return ordered, sort
    if key not in scorecards.MEASURES and key not in TEXT_SORTS:
        return sort_table(table, DEFAULT_SORT)
    ordered = table.sort_values([key, "code"], ascending=[not descending, True], na_position="last")
    return ordered, sort


def _export_columns(key_label: str):
    from django.utils.translation import gettext

    columns = [
        ("code", gettext("Code")),
        ("name", gettext("Unit")),
        ("region", gettext("Region")),
        ("manager", gettext("Account manager")),
        ("status", gettext("Status")),
        ("reasons", gettext("Why")),
    ]
    for key, (label, _kind) in scorecards.MEASURES.items():
        columns.append((key, f"{label} ({key_label})" if key.startswith("key_") else str(label)))
    columns.append(("last_active", gettext("Last active")))
    return columns


def _managers(table: pd.DataFrame):
    found = table[table["manager_id"].notna()][["manager_id", "manager"]].drop_duplicates()
    return sorted(
        ((int(pk), name) for pk, name in found.itertuples(index=False)), key=lambda x: x[1]
    )


@login_required
def network(request):
    """All units in scope, worst first: filter, sort, export; the three to call first.

    The page's HTML (without the CSRF form) is kept per scope, query string, language and day
    under the revision of the network table (`scorecards.network_revision`): a write that
    changed no figure (a draft, a download) costs a cache read, not slicing, sorting and
    rendering the frame again.
    """
    units = _scope_or_404(request, "table")
    today = _today()
    is_network = access.has_network_right(request.user)
    if (fmt := request.GET.get("format")) in ("csv", "xlsx"):
        table, net = scorecards.scope_table(units, today=today)
        shown, _sort = _shown(request, table, _filter_form(request, table))
        columns = _export_columns(net.key_label)
        rows = (
            [_clean(row.get(key)) for key, _label in columns] for row in shown.to_dict("records")
        )
        return exports.table_response(
            f"network-{today.isoformat()}", [label for _k, label in columns], rows, fmt
        )

    def render_parts():
        table, net = scorecards.scope_table(units, today=today)
        form = _filter_form(request, table)
        shown, sort = _shown(request, table, form)
        page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = _records(page.object_list)  # only the rows shown become dicts
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("sort", None)
        context = {
            "form": form,
            "page": page,
            "sort": sort,
            "query": params.urlencode(),
            "counts": scorecards.status_counts(table),
            "without_manager": int(table["manager_id"].isna().sum()) if is_network else 0,
            "no_manager": NO_MANAGER,
            "shown_count": len(shown),
            "call_first": _records(scorecards.call_first(table)),
            "key_label": net.key_label,
            "period": net.period,
            "is_network": is_network,
            "measures": scorecards.MEASURES,
        }
        return {
            "top": render_to_string("network/_network_top.html", context, request),
            "table": render_to_string("network/_network_table.html", context, request),
            "pdf_sync": len(table) <= settings.NETWORK_PDF_SYNC_UNITS,
        }

    params = [*NetworkFilterForm.base_fields, "sort", "page"]
    scope = access.portfolio_scope_key(request.user)
    revision = scorecards.network_revision(today=today)
    cached = versions.cached_page(
        request, "network-page", scope, params, (), render_parts, within=revision
    )
    return render(request, "network/network.html", {"parts": cached, "is_network": is_network})


def _filter_form(request, table: pd.DataFrame) -> NetworkFilterForm:
    return NetworkFilterForm(request.GET or None, managers=_managers(table))


def _shown(request, table: pd.DataFrame, form) -> tuple[pd.DataFrame, str]:
    """The rows the query string asks for (filters, then the sort) and the sort applied."""
    data = form.cleaned_data if form.is_valid() else {}
    return sort_table(filter_table(table, data), request.GET.get("sort") or DEFAULT_SORT)


# One unit -----------------------------------------------------------------------------


def _measure(request) -> str:
    measure = request.GET.get("measure", "")
    return measure if measure in scorecards.MEASURES else "key_value"


@login_required
def scorecard(request, code):
    units = _scope_or_404(request, f"scorecard:{code}")
    unit_id = units.filter(code=code).values_list("pk", flat=True).first()
    if unit_id is None:
        access.deny(request, target=f"network:scorecard:{code}", action="review")
    today = _today()
    table, net = scorecards.scope_table(units, today=today)
    row = table[table["unit_id"] == unit_id].iloc[0].to_dict()
    measure = _measure(request)
    label = str(scorecards.MEASURES[measure][0])
    return render(
        request,
        "network/scorecard.html",
        {
            **scorecards.unit_history(unit_id, today=today),
            "figures": scorecards.unit_figures(net, unit_id),
            "row": {k: _clean(v) for k, v in row.items()},
            "key_label": net.key_label,
            "period": net.period,
            "measure": measure,
            "measures": scorecards.MEASURES,
            "distribution_svg": charts.histogram_svg(
                table[measure].tolist(),
                marked=row.get(measure),
                marked_label=code,
                title=label,
                x_title=label,
                y_title=_("Units"),
                legend_items=[("bar", _("Units in the range"))]
                + ([("marker", _("This unit"))] if _clean(row.get(measure)) is not None else []),
            ),
            "distribution_rows": charts.histogram_bins(table[measure].tolist()),
        },
    )


# Charts -------------------------------------------------------------------------------


def region_trends(units, *, today, periods: int = 12) -> dict:
    """Median of the key figure per region and period, for the units in scope."""
    key = scorecards.load_key_figures(today, periods=periods, key_only=True, units=units)
    if key.template is None or key.key_field is None:
        return {"svg": "", "label": ""}
    frame = key.frame
    region_names = dict(units.order_by().values_list("region_id", "region__name").distinct())
    starts = [key.period.shifted(-i) for i in range(periods - 1, -1, -1)]
    labels = [p.label for p in starts]
    medians = frame.groupby(["region_id", "period_start"])["value"].median()
    series = {}
    for region_id, name in sorted(region_names.items(), key=lambda kv: kv[1]):
        series[name] = [_clean(medians.get((region_id, pd.Timestamp(p.start)))) for p in starts]
    svg = charts.lines_svg(
        labels, series, title=key.key_label, y_title=key.key_label, x_title=_("Period")
    )
    return {
        "svg": svg,
        "label": key.key_label,
        "names": list(series),
        "rows": charts.series_rows(labels, series) if svg else [],
    }


@login_required
def network_charts(request):
    units = _scope_or_404(request, "charts")
    today = _today()
    form = MeasureForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    measure = data.get("measure") or "key_value"
    label = str(scorecards.MEASURES[measure][0])
    table, _net = scorecards.scope_table(units, today=today)
    code = (data.get("unit") or "").strip()
    marked = table[table["code"] == code]
    marked_value = _clean(marked[measure].iloc[0]) if not marked.empty else None
    ranked = table[table[measure].notna()].sort_values([measure, "code"], ascending=[False, True])
    ranking = [
        (f"{r.code} {r.name}", float(getattr(r, measure))) for r in ranked.head(20).itertuples()
    ]
    regions = (
        table.groupby("region")
        .agg(
            units=("unit_id", "size"),
            median=(measure, "median"),
            red=("status", lambda s: int((s == "red").sum())),
            amber=("status", lambda s: int((s == "amber").sum())),
        )
        .reset_index()
        .sort_values("median", ascending=False, na_position="last")
    )
    region_rows = _records(regions)
    return render(
        request,
        "network/charts.html",
        {
            "form": form,
            "measure": measure,
            "measure_label": label,
            "marked_code": code if not marked.empty else "",
            "unknown_unit": bool(code) and marked.empty,
            "distribution_svg": charts.histogram_svg(
                table[measure].tolist(),
                marked=marked_value,
                marked_label=code,
                title=label,
                x_title=label,
                y_title=_("Units"),
                legend_items=[("bar", _("Units in the range"))]
                + ([("marker", _("Marked unit"))] if marked_value is not None else []),
            ),
            "distribution_rows": charts.histogram_bins(table[measure].tolist()),
            "ranking": ranking,
            "ranking_svg": charts.bars_svg(
                ranking,
                highlight=f"{code} {marked['name'].iloc[0]}" if not marked.empty else None,
                title=label,
                value_title=label,
            ),
            "region_svg": charts.bars_svg(
                [(r["region"], r["median"]) for r in region_rows if r["median"] is not None],
                title=label,
                value_title=_("Median: %(measure)s") % {"measure": label},
            ),
            "region_rows": region_rows,
            "trends": scorecards.cached(
                "trends",
                (scorecards.scope_key(units)[1], *scorecards.key_parts(today), get_language()),
                scorecards.FRAME_LABELS,
                lambda: region_trends(units, today=today),
            ),
        },
    )


# Comparison ---------------------------------------------------------------------------


@login_required
def compare(request):
    units = _scope_or_404(request, "compare")
    today = _today()
    entered = [request.GET.get(f"u{i}", "").strip() for i in range(CompareForm.MAX)]
    # Raw input goes into a lookup: PostgreSQL refuses NUL (the form then says which box).
    asked = [c for c in entered if c and "\x00" not in c]
    allowed = set(units.filter(code__in=asked).values_list("code", flat=True))
    form = CompareForm(request.GET or None, allowed_codes=allowed)
    context = {"form": form, "fields": [], "rows": []}
    if form.is_bound and form.is_valid():
        codes = form.cleaned_data["codes"]
        chosen = units.filter(code__in=codes)
        key = scorecards.load_key_figures(today, periods=12, units=chosen)
        table = scorecards.network_table(chosen, today=today).set_index("code").loc[codes]
        table = table.reset_index()
        ids = dict(zip(table["unit_id"], table["code"], strict=True))
        frame = key.frame[key.frame["unit_id"].isin(list(ids))] if key.period else None
        fields = []
        if frame is not None:
            starts = [key.period.shifted(-i) for i in range(11, -1, -1)]
            labels = [p.label for p in starts]
            for d in key.definitions:
                one = frame[frame["field"] == d["key"]].set_index(["unit_id", "period_start"])[
                    "value"
                ]
                series = {
                    code: [_clean(one.get((pk, pd.Timestamp(p.start)))) for p in starts]
                    for pk, code in ids.items()
                }
                fields.append(
                    {
                        "label": d["label"],
                        "svg": charts.lines_svg(
                            labels,
                            series,
                            title=d["label"],
                            y_title=charts.with_unit(d["label"], d.get("unit")),
                            x_title=_("Period"),
                        ),
                        "labels": labels,
                        "series": series,
                        "names": list(series),
                        "rows": charts.series_rows(labels, series),
                    }
                )
        context.update({"fields": fields, "rows": _records(table), "key_label": key.key_label})
    context["measures"] = scorecards.MEASURES
    return render(request, "network/compare.html", context)


# Adoption -----------------------------------------------------------------------------


@login_required
def adoption(request):
    units = _scope_or_404(request, "adoption")
    figures = adoption_mod.adoption(
        units, today=_today(), include_staff=access.has_network_right(request.user)
    )
    if (fmt := request.GET.get("format")) in ("csv", "xlsx"):
        group = "by_region" if request.GET.get("by") == "region" else "by_manager"
        return exports.table_response(
            f"adoption-{group}-{_today().isoformat()}",
            [_("Name"), _("Units"), _("Active units"), _("Share active"), _("Active users")],
            (
                (r["name"], r["units"], r["active_units"], r["active_share"], r["active_users"])
                for r in figures[group]
            ),
            fmt,
        )
    return render(
        request,
        "network/adoption.html",
        {
            **figures,
            "months_svg": charts.bars_svg(
                [(m["month"], m["users"]) for m in figures["months"]],
                title=_("Active users"),
                value_title=_("Active users"),
            ),
            "is_network": access.has_network_right(request.user),
        },
    )


# Digest and PDF -----------------------------------------------------------------------


@login_required
def digest_page(request):
    units = _scope_or_404(request, "digest")
    return render(
        request, "network/digest.html", digest.digest_for(units, today=_today(), user=request.user)
    )


def pdf_context(user, units, *, today) -> dict:
    table, net = scorecards.scope_table(units, today=today)
    ordered = table.sort_values(["status_rank", "score", "code"], ascending=[False, False, True])
    shown = settings.NETWORK_PDF_MAX_ROWS
    return {
        "user": user,
        "today": today,
        "generated": timezone.now(),
        "key_label": net.key_label,
        "period": net.period,
        "counts": scorecards.status_counts(table),
        "call_first": _records(scorecards.call_first(table)),
        "rows": _records(ordered.head(shown)),
        "more_rows": max(len(ordered) - shown, 0),
        "digest": digest.digest_for(units, today=today, user=user),
    }


@login_required
@require_POST
def digest_pdf(request):
    units = _scope_or_404(request, "pdf")
    today = _today()
    if units.count() > settings.NETWORK_PDF_SYNC_UNITS:
        from .jobs import network_pdf_job_create

        job = network_pdf_job_create(user=request.user, today=today)
        return redirect("reporting:job_status", pk=job.pk)
    data = render_pdf("pdf/network_digest.html", pdf_context(request.user, units, today=today))
    return exports.pdf_response(data, f"network-{slugify(request.user.username)}-{today}.pdf")
