"""Computing: one row per unit with every measure, the traffic light, its reasons and the
attention score."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from portal.dashboard import AMBER, GREEN

from .key_figures import field_ranks
from .measures import LEVEL_RANK, MEASURES, REQUEST_ANSWER_DAYS
from .reasons import activity_reason, status_of
from .sources import COLUMN_SOURCES, Sources, unit_activity

# Computing --------------------------------------------------------------------------


def _count(frame: pd.DataFrame, mask=None, name: str = "n") -> pd.Series:
    if frame.empty:
        return pd.Series(dtype="int64", name=name)
    part = frame if mask is None else frame[mask]
    return part.groupby("unit_id").size().rename(name)


def scorecard_frame(src: Sources) -> pd.DataFrame:
    """One row per unit with every measure, the traffic light, the reasons and a score."""
    return add_activity(base_frame(src), unit_activity(src))


def base_frame(src: Sources) -> pd.DataFrame:
    """`scorecard_frame` without the activity columns: the light, reasons and score leave
    out "nobody used the portal", which `add_activity` adds."""
    table = src.units.copy()
    idx = table.set_index("unit_id").index

    def put(name, series, default=0):
        table[name] = series.reindex(idx).fillna(default).to_numpy() if len(series) else default

    set_key_columns(table, src.key)
    rep = src.reports
    for state in ("on_time", "late", "missing", "pending"):
        put(state, _count(rep, rep["state"] == state if not rep.empty else None))
    decided = table["on_time"] + table["late"] + table["missing"]
    table["on_time_rate"] = (table["on_time"] / decided.where(decided > 0)).astype(float)
    # The oldest missing report of the latest due period, for the digest and the reasons.
    t = src.targets
    if not t.empty:
        put("training_assigned", _count(t))
        put("training_done", t.groupby("unit_id")["finished"].sum())
        put("training_overdue", t.groupby("unit_id")["overdue"].sum())
        put("people_overdue", t[t["overdue"]].groupby("unit_id")["user_id"].nunique())
    else:
        for name in ("training_assigned", "training_done", "training_overdue", "people_overdue"):
            table[name] = 0
    table["training_rate"] = (
        table["training_done"] / table["training_assigned"].where(table["training_assigned"] > 0)
    ).astype(float)
    put("certs_expiring", _count(src.expiring))

    now = pd.Timestamp(src.today)
    tasks = src.tasks
    put("open_tasks", _count(tasks))
    if not tasks.empty:
        due = pd.to_datetime(tasks["due_date"])
        put("overdue_tasks", _count(tasks, due < now))
    else:
        table["overdue_tasks"] = 0
    put("open_requests", _count(src.requests))
    put("unanswered_requests", _count(src.requests, unanswered_mask(src.requests, src.today)))

    for name, frame in src.extra.items():
        source = COLUMN_SOURCES[name]
        by_unit = frame.set_index("unit_id") if len(frame) else None
        for column, default in source.defaults.items():
            if by_unit is None or column not in by_unit:
                table[column] = default
            else:
                put(column, by_unit[column], default)

    int_columns = [k for k, (_label, kind) in MEASURES.items() if kind == "int"]
    for name in int_columns:
        if name in table and name not in ("key_rank", "score", "active_users"):
            table[name] = table[name].astype(int)

    overdue_courses = _overdue_by_course(src)
    lights = [
        status_of(row, overdue_courses.get(row["unit_id"], []), src.key.key_label, activity=False)
        for row in table.to_dict("records")
    ]
    table["status"] = [light[0] for light in lights]
    table["reasons"] = [light[1] for light in lights]
    table["score"] = [light[2] for light in lights]
    table["status_rank"] = table["status"].map(LEVEL_RANK)
    return table


def set_key_columns(table: pd.DataFrame, key) -> None:
    """key_value, key_rank, key_of, key_change of every row, ranked in `key`'s frame (the
    whole network's figures)."""
    idx = table.set_index("unit_id").index
    key_field = key.key_field
    ranks = field_ranks(key, key_field) if key_field else pd.DataFrame()
    if not ranks.empty:
        ranks = ranks.set_index("unit_id")
        table["key_value"] = ranks["value"].reindex(idx).to_numpy()
        table["key_rank"] = ranks["rank"].reindex(idx).to_numpy()
        table["key_of"] = ranks["of"].reindex(idx).to_numpy()
        table["key_change"] = ranks["change"].reindex(idx).to_numpy()
    else:
        for name in ("key_value", "key_rank", "key_of", "key_change"):
            table[name] = np.nan


def add_activity(table: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """`base_frame` plus active_users and last_active; a unit nobody used the portal for
    gets that reason last, turns amber if it was green, and scores one more (what
    `status_of` decides with the activity in the row)."""
    by_unit = activity.set_index("unit_id")
    ids = table["unit_id"]
    table["active_users"] = ids.map(by_unit["active_users"]).fillna(0).astype(int).to_numpy()
    table["last_active"] = ids.map(by_unit["last_active"]).to_numpy() if len(by_unit) else None
    idle = table["active_users"] == 0
    if idle.any():
        reason = activity_reason()
        before = table.loc[idle, "reasons"]
        table.loc[idle, "reasons"] = before.where(before == "", before + ", " + reason).where(
            before != "", reason[:1].upper() + reason[1:]
        )
        table.loc[idle & (table["status"] == GREEN), "status"] = AMBER
        table.loc[idle, "score"] = table.loc[idle, "score"] + 1
        table["status_rank"] = table["status"].map(LEVEL_RANK)
    return table


def unanswered_mask(requests: pd.DataFrame, today: date) -> pd.Series:
    """Open requests past their answer date (or older than REQUEST_ANSWER_DAYS without one)."""
    if requests.empty:
        return pd.Series(dtype=bool)
    due = pd.to_datetime(requests["due_date"])
    created = pd.to_datetime(requests["created_at"], utc=True).dt.tz_convert(None).dt.normalize()
    now = pd.Timestamp(today)
    default_due = created + pd.Timedelta(days=REQUEST_ANSWER_DAYS)
    return due.fillna(default_due) < now


def _overdue_by_course(src: Sources) -> dict[int, list[tuple[str, int]]]:
    """unit_id -> [(course title, people overdue)], most people first."""
    t = src.targets
    if t.empty or not t["overdue"].any():
        return {}
    counts = t[t["overdue"]].groupby(["unit_id", "course_id"])["user_id"].nunique()
    result: dict[int, list] = {}
    for (unit_id, course_id), n in counts.sort_values(ascending=False).items():
        result.setdefault(unit_id, []).append((src.courses.get(course_id, str(course_id)), int(n)))
    return result
