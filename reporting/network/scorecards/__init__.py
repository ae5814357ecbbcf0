"""Unit scorecards for managers and network leads: one row per unit, computed with pandas.

A scorecard joins what the other parts already know about a unit: the latest figures of the
main report with rank and change (reporting analytics), report discipline over the last 12
periods, training compliance (learning's `targets_frame`), open tasks and requests, and
portal activity (`portal.activity.ActivityDay`). Every source is read with one `values_list`
query for all units in scope, so the page costs the same number of queries for 10 units as
for 5,000. The traffic light is derived from the measures with the reasons spelled out, so a
manager reads *why* a unit is red, not just that it is.

The pages do not compute per request: `network_scorecards` computes every open unit's row once
and keeps it in the cache under the data versions of what it reads (`portal.versions`), so it
is rebuilt after a write and read back otherwise; a manager's portfolio is a slice of it.

The package, by responsibility: `measures` (constants and the table's measures), `scope` (whose
views), `key_figures` (the main report), `discipline` (reports expected and sent), `sources`
(loading, and the column sources other apps register), `frame` (the per-unit measures),
`reasons` (the traffic light and its registered reason providers) and `network` (the cached
network frame and one unit's figures). Every public name is importable from here.
"""

from .discipline import discipline, expected_reports, submissions_frame
from .frame import add_activity, base_frame, scorecard_frame, unanswered_mask
from .key_figures import KeyFigures, due_period, field_ranks, key_template, load_key_figures
from .measures import (
    ACTIVE_DAYS,
    ACTIVITY_LABELS,
    CACHE_FORMAT,
    DISCIPLINE_PERIODS,
    DROP_LIMIT,
    EXPIRY_DAYS,
    FRAME_LABELS,
    LEVEL_RANK,
    MANAGER_LABELS,
    MEASURES,
    REQUEST_ANSWER_DAYS,
    SENT,
    UNIT_COLUMNS,
)
from .network import (
    RECENT_DAYS,
    NetworkDetails,
    NetworkScorecards,
    cache_key,
    cached,
    call_first,
    key_parts,
    network_revision,
    network_scorecards,
    network_table,
    refresh_kept,
    scope_key,
    scope_table,
    status_counts,
    unit_figures,
    unit_history,
)
from .reasons import ReasonContext, register_reason, status_of
from .scope import is_network_viewer, units_in_scope
from .sources import (
    ColumnSource,
    Sources,
    load_activity,
    load_sources,
    register_columns,
    unit_activity,
    unit_frame,
)

__all__ = [
    "ACTIVE_DAYS",
    "ACTIVITY_LABELS",
    "CACHE_FORMAT",
    "DISCIPLINE_PERIODS",
    "DROP_LIMIT",
    "EXPIRY_DAYS",
    "FRAME_LABELS",
    "LEVEL_RANK",
    "MANAGER_LABELS",
    "MEASURES",
    "RECENT_DAYS",
    "REQUEST_ANSWER_DAYS",
    "SENT",
    "UNIT_COLUMNS",
    "ColumnSource",
    "KeyFigures",
    "NetworkDetails",
    "NetworkScorecards",
    "ReasonContext",
    "Sources",
    "add_activity",
    "base_frame",
    "cache_key",
    "cached",
    "call_first",
    "discipline",
    "due_period",
    "expected_reports",
    "field_ranks",
    "is_network_viewer",
    "key_parts",
    "key_template",
    "load_activity",
    "load_key_figures",
    "load_sources",
    "network_revision",
    "network_scorecards",
    "network_table",
    "refresh_kept",
    "register_columns",
    "register_reason",
    "scope_key",
    "scope_table",
    "scorecard_frame",
    "status_counts",
    "status_of",
    "submissions_frame",
    "unanswered_mask",
    "unit_activity",
    "unit_figures",
    "unit_frame",
    "unit_history",
    "units_in_scope",
]
