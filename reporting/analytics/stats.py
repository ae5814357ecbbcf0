"""The numbers: medians, quartiles, ranks, trends, outliers, on-time rates. Frames in, frames out.

Value frames have the columns unit_id, region_id, period_start, field, value (see frames.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: A normal distribution's standard deviation is 1.4826 median absolute deviations.
MAD_SCALE = 1.4826
MAD_LIMIT = 3.0
#: The spread never counts as less than this share of the median, so values that are nearly
#: identical (a MAD of almost nothing) do not make a tiny difference "unusual".
SPREAD_FLOOR = 0.10
DROP_LIMIT = -0.30


def _spread(values: pd.Series) -> float:
    """A robust spread: scaled MAD with a floor of SPREAD_FLOOR × |median|."""
    median = values.median()
    return max(MAD_SCALE * (values - median).abs().median(), SPREAD_FLOOR * abs(median))


def _percentile(values: pd.Series) -> pd.Series:
    """Percentile rank: (units below + half the units equal, itself included) / all × 100."""
    return (values.rank(method="average") - 0.5) / values.count() * 100


def field_stats(frame: pd.DataFrame) -> pd.DataFrame:
    """Per field and period: count, q1, median, q3, min, max of the units' values."""
    if frame.empty:
        return pd.DataFrame(columns=["field", "period_start", "count", "q1", "median", "q3"])
    grouped = frame.groupby(["field", "period_start"])["value"]
    out = pd.DataFrame(
        {
            "count": grouped.count(),
            "q1": grouped.quantile(0.25),
            "median": grouped.median(),
            "q3": grouped.quantile(0.75),
            "min": grouped.min(),
            "max": grouped.max(),
        }
    )
    return out.reset_index()


def quartile_band(value: float, q1: float, median: float, q3: float) -> int:
    """1 (bottom quarter) to 4 (top quarter)."""
    if value < q1:
        return 1
    if value < median:
        return 2
    if value < q3:
        return 3
    return 4


#: What `rankings` gives per unit.
RANK_COLUMNS = [
    "unit_id",
    "region_id",
    "value",
    "rank",
    "region_rank",
    "of",
    "region_of",
    "band",
    "percentile",
]


def rankings(frame: pd.DataFrame, *, field: str, period) -> pd.DataFrame:
    """One period's field: each unit's value, rank in the network and in its region (1 = top).

    Ties share the best rank. Also the quartile band in the network.
    """
    period = pd.Timestamp(period)
    one = frame[(frame["field"] == field) & (frame["period_start"] == period)].copy()
    if one.empty:
        return pd.DataFrame(columns=RANK_COLUMNS)
    one["rank"] = one["value"].rank(ascending=False, method="min").astype(int)
    one["region_rank"] = (
        one.groupby("region_id")["value"].rank(ascending=False, method="min").astype(int)
    )
    one["of"] = len(one)
    one["percentile"] = _percentile(one["value"])
    one["region_of"] = one.groupby("region_id")["value"].transform("count")
    q1, med, q3 = one["value"].quantile([0.25, 0.5, 0.75])
    one["band"] = [quartile_band(v, q1, med, q3) for v in one["value"]]
    return one.sort_values(["rank", "unit_id"])[RANK_COLUMNS].reset_index(drop=True)


def _pct_change(new: pd.Series, old: pd.Series) -> pd.Series:
    old = old.where(old != 0)
    return (new - old) / old.abs()


def unit_trend(frame: pd.DataFrame, *, unit_id: int, field: str) -> pd.DataFrame:
    """A unit's series of one field with MoM / YoY change and the network's q1, median, q3.

    Change is period on period (month on month for monthly reports); YoY compares with the
    period twelve months earlier.
    """
    one = frame[frame["field"] == field]
    if one.empty:
        return pd.DataFrame(columns=["period_start", "value", "change", "yoy", "median"])
    stats = field_stats(one)[["period_start", "q1", "median", "q3", "count"]]
    mine = (
        one[one["unit_id"] == unit_id][["period_start", "value"]]
        .drop_duplicates("period_start")
        .sort_values("period_start")
    )
    out = stats.merge(mine, on="period_start", how="left").sort_values("period_start")
    out = out.reset_index(drop=True)
    out["change"] = _pct_change(out["value"], out["value"].shift(1))
    year_ago = out[["period_start", "value"]].copy()
    year_ago["period_start"] = year_ago["period_start"] + pd.DateOffset(years=1)
    out = out.merge(year_ago.rename(columns={"value": "year_ago"}), on="period_start", how="left")
    out["yoy"] = _pct_change(out["value"], out["year_ago"])
    by_period = one.groupby("period_start")["value"]
    ranks = one.assign(
        rank=by_period.rank(ascending=False, method="min"),
        percentile=by_period.transform(_percentile),
    )
    ranks = ranks[ranks["unit_id"] == unit_id][["period_start", "rank", "percentile"]]
    out = out.merge(ranks, on="period_start", how="left")
    out["band"] = [
        quartile_band(v, a, m, b) if pd.notna(v) else np.nan
        for v, a, m, b in zip(out["value"], out["q1"], out["median"], out["q3"], strict=True)
    ]
    return out


def outliers(frame: pd.DataFrame, *, field: str, period, previous=None) -> pd.DataFrame:
    """Units whose value is unusual in `period`.

    - "mad": more than 3 robust spreads (`_spread`) from the median of the unit's region;
    - "drop": fell by over 30 % from the previous period.
    """
    period = pd.Timestamp(period)
    one = frame[(frame["field"] == field) & (frame["period_start"] == period)].copy()
    if one.empty:
        return pd.DataFrame(columns=["unit_id", "region_id", "value", "reason", "score"])
    region = one.groupby("region_id")["value"]
    one["region_median"] = region.transform("median")
    one["mad"] = region.transform(_spread)
    one["score"] = (one["value"] - one["region_median"]).abs() / one["mad"].where(one["mad"] > 0)
    flagged = one[one["score"] > MAD_LIMIT].assign(reason="mad")
    parts = [flagged]
    if previous is not None:
        before = frame[
            (frame["field"] == field) & (frame["period_start"] == pd.Timestamp(previous))
        ][["unit_id", "value"]].rename(columns={"value": "previous"})
        both = one.merge(before, on="unit_id")
        both["change"] = _pct_change(both["value"], both["previous"])
        both["score"] = both["change"]
        drops = both[both["change"] < DROP_LIMIT].assign(reason="drop")
        parts.append(drops)
    result = pd.concat([p for p in parts if not p.empty] or [flagged])
    columns = ["unit_id", "region_id", "value", "region_median", "reason", "score"]
    for extra in ("previous", "change"):
        if extra in result:
            columns.append(extra)
    return result[columns].sort_values(["reason", "unit_id"]).reset_index(drop=True)


def on_time_rate(submissions: pd.DataFrame, *, by: str = "unit_id") -> pd.DataFrame:
    """Share of expected reports submitted by their due date, per unit or region.

    Rows are submissions (see frames.submissions_frame); a report never submitted counts as
    not on time. Drafts count as not submitted.
    """
    if submissions.empty:
        return pd.DataFrame(columns=[by, "expected", "on_time", "rate"])
    sub = submissions.assign(
        on_time=(
            submissions["status"].isin(["submitted", "approved", "returned"])
            & submissions["submitted_on"].notna()
            & (submissions["submitted_on"] <= submissions["due_date"])
        )
    )
    out = sub.groupby(by).agg(expected=("on_time", "size"), on_time=("on_time", "sum"))
    out["rate"] = out["on_time"] / out["expected"]
    return out.reset_index().sort_values(by)


def history_warning(history: pd.Series, value: float) -> bool:
    """Is `value` far from the unit's own history (over 3 robust spreads from its median)?"""
    history = history.dropna()
    if len(history) < 3 or value is None:
        return False
    spread = _spread(history)
    return bool(spread > 0 and abs(value - history.median()) / spread > MAD_LIMIT)
