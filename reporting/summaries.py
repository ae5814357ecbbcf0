"""Page-level assemblies of analytics: what the analytics pages, PDFs and dashboard show.

Each builds its frames with a fixed number of queries (values_list into pandas) and returns
plain rows and SVG strings for the templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from franchise import access
from franchise.models import Franchisee, Region
from portal import versions

from . import periods as P
from .analytics import charts, frames, stats
from .models import NUMERIC_KINDS, ReportTemplate, Submission, localise_definitions
from .selectors import portfolio_units

#: How far back trends reach: a year and a period, so the latest has a year-on-year change
#: (the network's values of these periods are what the pages load).
TREND_PERIODS = {"weekly": 53, "monthly": 13, "quarterly": 5}


def numeric_definitions(template: ReportTemplate, definitions: list[dict] | None = None):
    """The number fields that analytics show (the template's current ones by default), with
    their texts in the active language."""
    if definitions is None:
        from .services import template_definitions

        definitions = template_definitions(template)
    return [
        d
        for d in localise_definitions(definitions)
        if d["kind"] in NUMERIC_KINDS and d["kind"] != "yesno"
    ]


def _f(value):
    return None if value is None or pd.isna(value) else float(value)


def latest_period_with_data(frame: pd.DataFrame, template, today: date) -> P.Period:
    if frame.empty:
        return P.last_closed(template.period_kind, today)
    return P.period_containing(template.period_kind, frame["period_start"].max().date())


# Unit --------------------------------------------------------------------------------


def unit_overview(unit: Franchisee, template: ReportTemplate, *, today: date) -> dict:
    """Every numeric field of the unit: trend with the network band, MoM, YoY, rank, band."""
    definitions = numeric_definitions(template)
    since = P.last_closed(template.period_kind, today).shifted(-TREND_PERIODS[template.period_kind])
    frame = frames.network_frame(template, since=since.start)
    region_frame = frame[frame["region_id"] == unit.region_id]
    fields = []
    for d in definitions:
        trend = stats.unit_trend(frame, unit_id=unit.pk, field=d["key"])
        if trend.empty:
            continue
        labels = [
            P.period_containing(template.period_kind, ts.date()).label
            for ts in trend["period_start"]
        ]
        last = trend[trend["value"].notna()].tail(1)
        region_rank = None
        if not last.empty:
            ranking = stats.rankings(
                region_frame, field=d["key"], period=last["period_start"].iloc[0]
            )
            mine = ranking[ranking["unit_id"] == unit.pk]
            region_rank = (
                (int(mine["region_rank"].iloc[0]), int(mine["region_of"].iloc[0]))
                if not mine.empty
                else None
            )
        rows = [
            {
                "period": label,
                "value": _f(r.value),
                "change": _f(r.change),
                "yoy": _f(r.yoy),
                "median": _f(r.median),
                "q1": _f(r.q1),
                "q3": _f(r.q3),
                "rank": None if pd.isna(r.rank) else int(r.rank),
                "of": int(r.count),
                "band": None if pd.isna(r.band) else int(r.band),
                "percentile": _f(r.percentile),
            }
            for label, r in zip(labels, trend.itertuples(), strict=True)
        ]
        fields.append(
            {
                "definition": d,
                "rows": rows,
                "last": next((r for r in reversed(rows) if r["value"] is not None), None),
                "region_rank": region_rank,
                "svg": charts.trend_svg(
                    labels,
                    [r["value"] for r in rows],
                    low=[r["q1"] for r in rows],
                    mid=[r["median"] for r in rows],
                    high=[r["q3"] for r in rows],
                    title=d["label"],
                    y_title=charts.with_unit(d["label"], d.get("unit")),
                    x_title=_("Period"),
                    value_name=_("Your unit"),
                    legend_items=[
                        ("line", _("Your unit")),
                        ("band", _("Lower quartile – upper quartile")),
                        ("median", _("Network median")),
                    ],
                ),
            }
        )
    return {"fields": fields}


def key_figures(unit: Franchisee, template: ReportTemplate, *, today: date) -> dict | None:
    """The dashboard's figures: the unit's last reported period vs the one before and the
    network median. Three queries."""
    definitions = numeric_definitions(template)[:4]
    if not definitions:
        return None
    keys = [d["key"] for d in definitions]
    latest = (
        Submission.objects.filter(unit=unit, template=template, status__in=frames.COUNTED)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    if latest is None:
        return None
    period = P.period_containing(template.period_kind, latest)
    previous = period.previous()
    # The unit's own handful of values in plain Python; the network medians of the period
    # are cached per data version (rebuilt only when a report of that period changes).
    mine: dict = {}
    prev: dict = {}
    for start, key, value in (
        frames.counted_values(template, units=[unit.pk], fields=keys)
        .filter(submission__period_start__in=[period.start, previous.start])
        .annotate(value=Cast("number", FloatField()))
        .values_list("submission__period_start", "field_key", "value")
    ):
        (mine if start == period.start else prev)[key] = value
    medians = _network_medians(template, period.start, keys)
    figures = []
    for d in definitions:
        value = _f(mine.get(d["key"]))
        old = _f(prev.get(d["key"]))
        median = _f(medians.get(d["key"]))
        figures.append(
            {
                "label": d["label"],
                "unit": d.get("unit", ""),
                "value": value,
                "change": (value - old) / abs(old) if value is not None and old else None,
                "median": median,
                "vs_median": (value - median) / abs(median)
                if value is not None and median
                else None,
            }
        )
    return {"template": template, "period": period, "figures": figures}


def _network_medians(template: ReportTemplate, start: date, keys: list[str]) -> dict:
    """{field: network median} of one period's counted reports; one version query, plus one
    query over the network's values when a report of that period changed."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    version = Submission.objects.filter(
        template=template, status__in=frames.COUNTED, period_start=start
    ).aggregate(n=Count("id"), last=Max("updated_at"))
    last = version["last"].timestamp() if version["last"] else 0
    key = f"reporting:key-medians:{template.pk}:{start}:{','.join(keys)}:{version['n']}:{last}"
    medians = cache.get(key)
    if medians is None:
        frame = frames.values_frame(
            frames.counted_values(template, fields=keys).filter(submission__period_start=start)
        )
        medians = {k: float(v) for k, v in frame.groupby("field")["value"].median().items()}
        cache.set(key, medians, timeout=60 * 60)
    return medians


# Portfolio / network -------------------------------------------------------------------


#: What a network overview reads: reports, templates and figures, the units and regions named.
OVERVIEW_LABELS = ("reporting", "franchise.Franchisee", "franchise.Region")


def network_overview(
    user, template: ReportTemplate, *, field: str | None, period_key: str | None, today: date
) -> dict:
    """Medians and quartiles per period, ranking, outliers and on-time rates of the portfolio.

    The scope's values and reports of the trend window (`overview_frames`, seconds at 5,000
    units) are kept per scope under the data versions of OVERVIEW_LABELS; a report of one unit
    reloads that unit's rows only (`portal.versions.cached_for_units`). The figures computed
    from them are kept under the frames' revision: an unchanged network costs one query for
    the scope and a few cache reads.
    """
    units = portfolio_units(user)
    since = P.last_closed(template.period_kind, today).shifted(-TREND_PERIODS[template.period_kind])
    parts = ("overview-frames", template.pk, field, since.start, access.portfolio_scope_key(user))

    def compute() -> _Frames:
        keys = [d["key"] for d in numeric_definitions(template)]
        chosen = field if field in keys else (keys[0] if keys else None)
        ids = frozenset(units.order_by().values_list("pk", flat=True))
        return _Frames(ids, chosen, *overview_frames(units, template, field=chosen, since=since))

    def patch(kept: _Frames, changed: set[int]) -> _Frames:
        mine = kept.unit_ids & changed
        if not mine:
            return kept
        fresh = overview_frames(
            Franchisee.objects.filter(pk__in=sorted(mine)), template, field=kept.field, since=since
        )
        frame, subs = (
            _in_order(pd.concat([old[~old["unit_id"].isin(mine)], new], ignore_index=True))
            for old, new in zip((kept.values, kept.reports), fresh, strict=True)
        )
        return _Frames(kept.unit_ids, kept.field, frame, subs)

    revision, kept = versions.cached_for_units(parts, OVERVIEW_LABELS, compute, patch)
    versions.note_asked(
        "network-overview", (user.pk, template.pk, field, period_key, get_language()), today=today
    )
    key = ("network-overview", revision, period_key, today, get_language())
    overview = versions.cached(
        key, (), lambda: _overview(kept(), template, period_key=period_key, today=today)
    )
    return {**overview, "revision": versions.digest(key)}


def network_sections(overview: dict) -> str:
    """The analytics page's cards (charts and tables) as HTML, rendered once per revision of
    the overview: a reader of an unchanged overview, or of one the write's task has brought up
    to date (`refresh_kept`), renders none of them."""
    html = versions.cached(
        ("network-sections", overview["revision"]),
        (),
        lambda: render_to_string("reporting/_network_sections.html", overview),
    )
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there


def refresh_kept(*, today: date) -> int:
    """Bring each overview asked for today, and its cards, up to date now (run after a unit's
    write commits: `tasks.analytics_refresh_task`), so that its next reader finds it ready. An
    overview whose units were not written costs a few cache reads. The overviews refreshed."""
    from django.contrib.auth import get_user_model

    asked = versions.asked_today("network-overview", today=today)
    users = get_user_model().objects.in_bulk({entry[0] for entry in asked})
    templates = ReportTemplate.objects.in_bulk({entry[1] for entry in asked})
    done = 0
    for user_pk, template_pk, field, period_key, language in asked:
        user, template = users.get(user_pk), templates.get(template_pk)
        if user is None or template is None or not user.is_active:
            continue
        with translation.override(language):
            overview = network_overview(
                user, template, field=field, period_key=period_key, today=today
            )
            network_sections(overview)
        done += 1
    return done


@dataclass
class _Frames:
    """What a network overview is computed from (kept per scope, patched per unit)."""

    unit_ids: frozenset
    field: str | None
    values: pd.DataFrame
    reports: pd.DataFrame


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order whichever way they were gathered (ties rank the same)."""
    columns = [c for c in ("unit_id", "period_start", "field") if c in frame]
    return frame.sort_values(columns, kind="stable").reset_index(drop=True)


def overview_frames(units, template: ReportTemplate, *, field: str | None, since: P.Period):
    """(values, reports): the counted values of `field` and the reports of `template` of
    `units` since the period `since`. Two queries."""
    values = frames.values_frame(
        frames.counted_values(
            template, units=units, fields=[field] if field else [], since=since.start
        )
    )
    reports = frames.submissions_frame(
        Submission.objects.filter(template=template, unit__in=units, period_start__gte=since.start)
    )
    return _in_order(values), _in_order(reports)


def _network_overview(
    units, template: ReportTemplate, *, field: str | None, period_key: str | None, today: date
) -> dict:
    """`network_overview` computed whole, without the cache (benchmarks)."""
    keys = [d["key"] for d in numeric_definitions(template)]
    field = field if field in keys else (keys[0] if keys else None)
    since = P.last_closed(template.period_kind, today).shifted(-TREND_PERIODS[template.period_kind])
    ids = frozenset(units.order_by().values_list("pk", flat=True))
    kept = _Frames(ids, field, *overview_frames(units, template, field=field, since=since))
    return _overview(kept, template, period_key=period_key, today=today)


def _overview(kept: _Frames, template: ReportTemplate, *, period_key, today: date) -> dict:
    definitions = numeric_definitions(template)
    field, frame = kept.field, kept.values
    period = (P.period_from_key(template.period_kind, period_key) if period_key else None) or (
        latest_period_with_data(frame, template, today)
    )
    one_field = frame[frame["field"] == field] if field else frame.iloc[0:0]
    per_period = stats.field_stats(one_field)
    labels = [
        P.period_containing(template.period_kind, ts.date()).label
        for ts in per_period["period_start"]
    ]
    trend_rows = [
        {
            "period": label,
            "count": int(r.count),
            "q1": _f(r.q1),
            "median": _f(r.median),
            "q3": _f(r.q3),
        }
        for label, r in zip(labels, per_period.itertuples(), strict=True)
    ]
    ranking = stats.rankings(one_field, field=field, period=period.start) if field else None
    found = (
        stats.outliers(frame, field=field, period=period.start, previous=period.previous().start)
        if field
        else None
    )
    subs = kept.reports[kept.reports["period_start"] <= pd.Timestamp(period.start)]
    by_region = stats.on_time_rate(subs, by="region_id")
    by_unit = stats.on_time_rate(subs, by="unit_id")
    # Names only for the units and regions shown.
    shown = set()
    if ranking is not None:
        shown |= set(ranking["unit_id"].head(50)) | set(ranking["unit_id"].tail(10))
    if found is not None:
        shown |= set(found["unit_id"])
    shown |= set(by_unit.sort_values("rate").head(20)["unit_id"])
    names = {
        u["pk"]: u
        for u in Franchisee.objects.filter(pk__in=[int(x) for x in shown]).values(
            "pk", "code", "trading_name"
        )
    }
    region_names = dict(Region.objects.values_list("pk", "name"))

    def unit_label(pk):
        u = names.get(int(pk))
        return f"{u['code']} {u['trading_name']}" if u else str(pk)

    ranking_rows = []
    if ranking is not None:
        for r in ranking.head(50).itertuples():
            ranking_rows.append(
                {
                    "unit": unit_label(r.unit_id),
                    "code": names.get(int(r.unit_id), {}).get("code", ""),
                    "region": region_names.get(r.region_id, ""),
                    "value": _f(r.value),
                    "rank": int(r.rank),
                    "region_rank": int(r.region_rank),
                    "band": int(r.band),
                }
            )
    outlier_rows = []
    if found is not None:
        for r in found.itertuples():
            outlier_rows.append(
                {
                    "unit": unit_label(r.unit_id),
                    "region": region_names.get(r.region_id, ""),
                    "value": _f(r.value),
                    "region_median": _f(r.region_median),
                    "reason": r.reason,
                    "score": _f(r.score),
                }
            )
    label = next((d["label"] for d in definitions if d["key"] == field), "")
    value_title = charts.with_unit(
        label, next((d.get("unit") for d in definitions if d["key"] == field), "")
    )
    return {
        "template": template,
        "definitions": definitions,
        "field": field,
        "field_label": label,
        "period": period,
        "units_reporting": 0 if ranking is None else len(ranking),
        "trend_rows": trend_rows,
        "trend_svg": charts.trend_svg(
            labels,
            [r["median"] for r in trend_rows],
            low=[r["q1"] for r in trend_rows],
            high=[r["q3"] for r in trend_rows],
            title=label,
            y_title=value_title,
            x_title=_("Period"),
            value_name=_("Median"),
            legend_items=[
                ("line", _("Median")),
                ("band", _("Lower quartile – upper quartile")),
            ],
        ),
        "value_title": value_title,
        "ranking_rows": ranking_rows,
        "ranking_svg": charts.bars_svg(
            [(r["unit"], r["value"]) for r in ranking_rows[:20]],
            title=label,
            value_title=value_title,
        ),
        "ranking_bars": [
            {**b, "region": r["region"]}
            for b, r in zip(_bars(ranking_rows[:20]), ranking_rows[:20], strict=True)
        ],
        "outlier_rows": outlier_rows,
        "on_time_regions": [
            {
                "region": region_names.get(r.region_id, ""),
                "expected": int(r.expected),
                "on_time": int(r.on_time),
                "rate": float(r.rate),
            }
            for r in by_region.itertuples()
        ],
        "on_time_worst": [
            {
                "unit": unit_label(r.unit_id),
                "expected": int(r.expected),
                "on_time": int(r.on_time),
                "rate": float(r.rate),
            }
            for r in by_unit.sort_values(["rate", "unit_id"]).head(20).itertuples()
        ],
    }


def _bars(rows):
    from .exports import bar_rows

    return bar_rows([(r["unit"], r["value"] or 0) for r in rows])


def portfolio_summary(user, *, params: dict, progress: Callable[[int], None]) -> dict:
    """The context of the portfolio / network summary PDF (made in a background job)."""
    template = ReportTemplate.objects.get(pk=params["template"])
    today = date.fromisoformat(params.get("today") or timezone.localdate().isoformat())
    progress(10)
    sections = []
    definitions = numeric_definitions(template)
    for i, d in enumerate(definitions):
        sections.append(
            network_overview(
                user, template, field=d["key"], period_key=params.get("period"), today=today
            )
        )
        progress(10 + int(70 * (i + 1) / max(1, len(definitions))))
    first = sections[0] if sections else None
    return {
        "template": template,
        "period": first["period"] if first else P.last_closed(template.period_kind, today),
        "sections": sections,
        "user": user,
        "generated": timezone.now(),
    }
