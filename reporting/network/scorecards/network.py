"""The cached network frame: every open unit's scorecard computed once, a manager's portfolio
a slice of it; one unit's figures and history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    QuerySet,
)
from django.utils import translation
from django.utils.translation import get_language

from franchise.models import Franchisee
from portal import versions
from portal.dashboard import AMBER, GREEN, RED
from reporting import periods as P
from reporting.analytics import stats

from .frame import _overdue_by_course, add_activity, base_frame, set_key_columns
from .key_figures import KeyFigures, load_key_figures
from .measures import ACTIVITY_LABELS, CACHE_FORMAT, FRAME_LABELS, MANAGER_LABELS
from .sources import Sources, extra_labels, load_activity, load_sources

# The cached network frame ------------------------------------------------------------


def cache_key(name: str, parts, labels) -> str:
    """A cache key for `name` under `parts` and the current data versions of `labels`."""
    return f"network:{name}:" + versions.digest((CACHE_FORMAT, *parts, versions.token(labels)))


def cached(name: str, parts, labels, compute: Callable):
    """`compute()`'s result (any picklable object), kept under `parts` and the data versions
    of `labels` (portal.versions): rebuilt after any write to what it reads."""
    return versions.cached((f"network:{name}", CACHE_FORMAT, *parts), labels, compute)


def scope_key(units: QuerySet) -> tuple[list[int], str]:
    """The ids of `units` and a short hash of them (a cache key part). One query."""
    ids = sorted(units.order_by().values_list("pk", flat=True))
    return ids, versions.digest(ids)


@dataclass
class NetworkDetails:
    """What the scorecard page and the digest show next to the table (cached apart, so the
    table pages do not unpickle it)."""

    #: field, unit_id, value, rank, of, region_rank, region_of, change: every field's ranks.
    figures: pd.DataFrame
    #: unit_id -> [(course title, people overdue)], most people first.
    overdue_courses: dict
    #: The expected reports due in the last RECENT_DAYS days and not sent on time (digest).
    recent: pd.DataFrame
    templates: dict


@dataclass
class NetworkScorecards:
    """The scorecards of every open unit; `details` on demand."""

    table: pd.DataFrame
    key_label: str
    period: P.Period | None
    #: [{"key", "label", "unit"}] of the main report's numeric fields.
    definitions: list
    today: date
    details_key: str = ""
    #: Changes only when what the table shows does (`_revision`): pages are kept under it.
    revision: str = ""
    _details: NetworkDetails | None = None

    @property
    def details(self) -> NetworkDetails:
        """Read from the cache entry made with the table (rebuilt if it was evicted)."""
        if self._details is None:
            self._details = cache.get(self.details_key)
        if self._details is None:
            self._details = _network_base(self.today).details
            cache.set(self.details_key, self._details, versions.FRAGMENT_TIMEOUT)
        return self._details


#: Reports due this many days back are kept for the digest ("since last week").
RECENT_DAYS = 8


def frame_labels() -> tuple[str, ...]:
    """The tables the network frame reads: FRAME_LABELS and the registered column sources'."""
    return (*FRAME_LABELS, *extra_labels())


def _base_labels() -> tuple[str, ...]:
    """`frame_labels`, the tables written per unit by their undeclared writes only: their
    declared writes are recomputed unit by unit (`_patched`)."""
    return tuple(
        versions.unscoped(label) if versions.is_unit_model(label) else label
        for label in frame_labels()
    )


def _recent(rep: pd.DataFrame, today: date) -> pd.DataFrame:
    if rep.empty:
        return rep
    return rep[
        (rep["due_date"] >= pd.Timestamp(today - timedelta(days=RECENT_DAYS)))
        & rep["state"].isin(["late", "missing"])
    ]


#: What `field_ranks` gives per unit, and so `_figures` per unit and field.
FIGURE_COLUMNS = [*stats.RANK_COLUMNS, "previous", "change"]


def _figures(key: KeyFigures) -> pd.DataFrame:
    """Every field's `field_ranks` at once: one pass of grouped pandas operations over the
    ranked period instead of one filtered copy of the frame per field (this runs again after
    every report: `_patched`)."""
    columns = [*FIGURE_COLUMNS, "field"]
    frame = key.frame
    if key.period is None or frame.empty or not key.definitions:
        return pd.DataFrame(columns=columns)
    fields = [d["key"] for d in key.definitions]
    frame = frame[frame["field"].isin(fields)]
    one = frame[frame["period_start"] == pd.Timestamp(key.period.start)].copy()
    if one.empty:
        return pd.DataFrame(columns=columns)
    by_field = one.groupby("field")["value"]
    by_region = one.groupby(["field", "region_id"])["value"]
    one["rank"] = by_field.rank(ascending=False, method="min").astype(int)
    one["region_rank"] = by_region.rank(ascending=False, method="min").astype(int)
    one["of"] = by_field.transform("count")
    one["region_of"] = by_region.transform("count")
    one["percentile"] = (by_field.rank(method="average") - 0.5) / one["of"] * 100
    q1, median, q3 = (by_field.transform("quantile", q) for q in (0.25, 0.5, 0.75))
    value = one["value"]
    one["band"] = 1 + (value >= q1).astype(int) + (value >= median) + (value >= q3)
    before = frame[frame["period_start"] == pd.Timestamp(key.period.previous().start)]
    before = before[["unit_id", "field", "value"]].rename(columns={"value": "previous"})
    one = one.merge(before, on=["unit_id", "field"], how="left")
    old = one["previous"].where(one["previous"] != 0)
    one["change"] = (one["value"] - old) / old.abs()
    one["order"] = one["field"].map({f: i for i, f in enumerate(fields)})
    one = one.sort_values(["order", "rank", "unit_id"])
    return one[columns].reset_index(drop=True)


@dataclass
class _State:
    """The network frame (no activity, no names), its details and the key figures it ranks
    in, as of the unit change log's entry `seq` (`portal.versions.unit_changes`)."""

    seq: int | None
    net: NetworkScorecards
    details: NetworkDetails
    key: KeyFigures


def _network_base(today: date, seq: int | None = None) -> _State:
    units = Franchisee.objects.exclude(status=Franchisee.Status.CLOSED)
    src = load_sources(units, today=today, with_activity=False)
    net = NetworkScorecards(
        table=base_frame(src),
        key_label=src.key.key_label,
        period=src.key.period,
        definitions=[
            {"key": d["key"], "label": str(d["label"]), "unit": str(d.get("unit", ""))}
            for d in src.key.definitions
        ],
        today=today,
    )
    details = NetworkDetails(
        figures=_figures(src.key),
        overdue_courses=_overdue_by_course(src),
        recent=_recent(src.reports, today).reset_index(drop=True),
        templates=src.templates,
    )
    return _State(seq, net, details, src.key)


def _without(frame: pd.DataFrame, ids: set[int]) -> pd.DataFrame:
    return frame[~frame["unit_id"].isin(ids)] if len(frame) else frame


def _patched(state: _State, changed: set[int], today: date, seq: int | None) -> _State | None:
    """`state` with the rows of the `changed` units read again (a fixed number of queries
    for those units only) and every unit's key rank taken again; None when the key report
    or period changed (recompute everything)."""
    units = Franchisee.objects.filter(pk__in=sorted(changed)).exclude(
        status=Franchisee.Status.CLOSED
    )
    fresh = load_key_figures(today, units=units)
    old = state.key
    if fresh.template != old.template or fresh.period != old.period:
        return None
    key = KeyFigures(
        fresh.template,
        fresh.definitions,
        fresh.period,
        pd.concat([_without(old.frame, changed), fresh.frame], ignore_index=True),
    )
    src = load_sources(units, today=today, key=key, with_activity=False)
    table = pd.concat([_without(state.net.table, changed), base_frame(src)], ignore_index=True)
    table = table.sort_values("code").reset_index(drop=True)
    set_key_columns(table, key)
    details = state.details
    recent = pd.concat([_without(details.recent, changed), _recent(src.reports, today)])
    overdue = {u: c for u, c in details.overdue_courses.items() if u not in changed}
    net = NetworkScorecards(
        table=table,
        key_label=state.net.key_label,
        period=state.net.period,
        definitions=state.net.definitions,
        today=today,
    )
    details = NetworkDetails(
        figures=_figures(key),
        overdue_courses=overdue | _overdue_by_course(src),
        recent=recent.reset_index(drop=True),
        templates=src.templates or details.templates,
    )
    return _State(seq, net, details, key)


def key_parts(today: date) -> tuple:
    """What, besides the data, changes the figures: the day, the language of the reasons and
    the settings that choose the key report and field."""
    return (
        today.isoformat(),
        get_language(),
        getattr(settings, "NETWORK_KEY_TEMPLATE", ""),
        getattr(settings, "NETWORK_KEY_FIELD", ""),
    )


def _current_base(today: date, parts: tuple, seq: int | None) -> NetworkScorecards:
    """The network frame as of change `seq`: the kept one, patched with the units noted
    since (`_patched`), or computed whole after any other write to what it reads."""
    labels = _base_labels()
    state_key = cache_key("state", parts, labels)
    state = cache.get(state_key)
    changed = versions.unit_changes(state.seq, seq) if state is not None else None
    if state is not None and not changed and changed is not None:
        return state.net
    if changed:
        state = _patched(state, changed, today, seq)
    if state is None or changed is None:
        state = _network_base(today, seq)
    state.net.details_key = cache_key("details", (*parts, seq), labels)
    cache.set(state.net.details_key, state.details, versions.FRAGMENT_TIMEOUT)
    cache.set(state_key, state, versions.FRAGMENT_TIMEOUT)
    return state.net


def network_scorecards(*, today: date) -> NetworkScorecards:
    """Every open unit's scorecard, cached until one of `frame_labels()` is written (the
    activity columns apart, under ACTIVITY_LABELS). A report or certificate declared one
    unit's (`portal.versions.units_written`) recomputes that unit's row only. A manager's
    portfolio is a slice of it (`scope_table`): a unit's figures do not depend on who looks
    (ranks are in the whole network anyway)."""
    parts = key_parts(today)
    # Read before the data: a write noted meanwhile is patched in by the next request.
    seq = versions.unit_changes_seq()

    def assemble():
        net = _current_base(today, parts, seq)
        activity = cached(
            "activity", (today.isoformat(),), ACTIVITY_LABELS, lambda: load_activity(today=today)
        )
        names = cached("managers", (), MANAGER_LABELS, _manager_names)
        net.table["manager"] = net.table["manager_id"].map(names)
        net.table = add_activity(net.table, activity)
        net.revision = _revision(net)
        return net

    # The assembled frame is kept too: one read when nothing changed; after a sign-in or the
    # day's first request only the cheap parts are read again.
    return cached("network", (*parts, seq), _assembled_labels(), assemble)


def _assembled_labels() -> tuple[str, ...]:
    return _base_labels() + ACTIVITY_LABELS + MANAGER_LABELS


def _revision(net: NetworkScorecards) -> str:
    """A digest of what the network table shows: the same after a write that changed no
    figure (a draft saved, a lesson read), so the pages kept under it stay valid."""
    rows = pd.util.hash_pandas_object(net.table, index=False).to_numpy()
    head = (net.key_label, net.period, repr(net.definitions), list(net.table.columns))
    return versions.digest((head, rows.tobytes()))


def network_revision(*, today: date) -> str:
    """`network_scorecards(today=today).revision`, without reading the frame when it is
    current (one small cache entry beside it)."""
    parts = key_parts(today)
    seq = versions.unit_changes_seq()
    return cached(
        "network-revision",
        (*parts, seq),
        _assembled_labels(),
        lambda: network_scorecards(today=today).revision,
    )


def refresh_kept(*, today: date) -> list[str]:
    """Bring the kept network frame of each language up to date now, so that its next reader
    finds it patched (run after a unit's write commits: `tasks.network_frame_refresh_task`).
    A frame nobody has asked for today is left alone. The languages refreshed."""
    refreshed = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if cache.has_key(cache_key("state", key_parts(today), _base_labels())):
                network_scorecards(today=today)
                refreshed.append(code)
    return refreshed


def _manager_names() -> dict[int, str]:
    """{user id: full name, else login} of the units' account managers. One query."""
    rows = (
        Franchisee.objects.filter(account_manager__isnull=False)
        .order_by()
        .values_list(
            "account_manager_id", "account_manager__full_name", "account_manager__username"
        )
        .distinct()
    )
    return {pk: full or login for pk, full, login in rows}


def scope_table(units: QuerySet, *, today: date) -> tuple[pd.DataFrame, NetworkScorecards]:
    """The scorecards of the (open) units of `units` only, and the network's figures."""
    net = network_scorecards(today=today)
    ids, _hash = scope_key(units)
    table = net.table[net.table["unit_id"].isin(ids)].reset_index(drop=True)
    return table, net


def network_table(units: QuerySet, *, today: date) -> pd.DataFrame:
    """The scorecards of the open units of `units` (from the cached network frame)."""
    return scope_table(units, today=today)[0]


def call_first(table: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The units that most need a call: red before amber, then by score."""
    attention = table[table["status"] != GREEN]
    return attention.sort_values(
        ["status_rank", "score", "code"], ascending=[False, False, True]
    ).head(n)


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    counts = table["status"].value_counts() if not table.empty else {}
    return {level: int(counts.get(level, 0)) for level in (RED, AMBER, GREEN)}


def unit_figures(net: NetworkScorecards, unit_id: int) -> list[dict]:
    """Every numeric field of the main report for one unit, with rank and change."""
    figures = []
    all_figures = net.details.figures
    mine = all_figures[all_figures["unit_id"] == unit_id] if len(all_figures) else all_figures
    by_field = {r["field"]: r for r in mine.to_dict("records")}
    for d in net.definitions:
        r = by_field.get(d["key"])
        if r is None:
            figures.append({"label": d["label"], "unit": d["unit"], "value": None})
            continue
        figures.append(
            {
                "label": d["label"],
                "unit": d["unit"],
                "value": float(r["value"]),
                "rank": int(r["rank"]),
                "of": int(r["of"]),
                "region_rank": int(r["region_rank"]),
                "region_of": int(r["region_of"]),
                "change": None if pd.isna(r["change"]) else float(r["change"]),
            }
        )
    return figures


def unit_history(unit_id: int, *, today: date) -> dict:
    """One unit's discipline grid and training per course, read for that unit only (a fixed
    number of small queries) and cached under `frame_labels()`."""

    def compute():
        units = Franchisee.objects.filter(pk=unit_id)
        src = load_sources(units, today=today, key=KeyFigures(None), with_activity=False)
        return _history(src, unit_id)

    parts = (unit_id, today.isoformat(), get_language())
    return cached("unit", parts, frame_labels(), compute)


def _history(src: Sources, unit_id: int) -> dict:
    rep = src.reports[src.reports["unit_id"] == unit_id] if not src.reports.empty else src.reports
    grid = []
    for template_id, group in rep.groupby("template_id") if not rep.empty else []:
        template = src.templates[template_id]
        cells = [
            {
                "period": P.period_containing(template.period_kind, r.period_start.date()).label,
                "state": r.state,
                "due": r.due_date.date(),
            }
            for r in group.sort_values("period_start").itertuples()
        ]
        grid.append({"template": template, "cells": cells})
    t = src.targets
    courses = []
    if not t.empty:
        mine = t[t["unit_id"] == unit_id]
        for course_id, group in mine.groupby("course_id"):
            courses.append(
                {
                    "title": src.courses.get(course_id, str(course_id)),
                    "assigned": len(group),
                    "done": int(group["finished"].sum()),
                    "overdue": int(group["overdue"].sum()),
                    "expiring": int(
                        (
                            (src.expiring["unit_id"] == unit_id)
                            & (src.expiring["course_id"] == course_id)
                        ).sum()
                    )
                    if not src.expiring.empty
                    else 0,
                }
            )
        courses.sort(key=lambda c: (-c["overdue"], c["title"]))
    return {"discipline": grid, "courses": courses}
