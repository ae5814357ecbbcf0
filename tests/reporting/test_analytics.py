"""Analytics on small hand-made frames with known medians, ranks and outliers."""

import pandas as pd
import pytest

from reporting.analytics import charts, frames, stats

from .conftest import report

MAR, APR = pd.Timestamp("2026-03-01"), pd.Timestamp("2026-04-01")


def frame(rows):
    return pd.DataFrame(rows, columns=["unit_id", "region_id", "period_start", "field", "value"])


@pytest.fixture
def small():
    rows = []
    # Region 1: units 1-5; region 2: units 6-8.
    march = {1: 100, 2: 110, 3: 90, 4: 105, 5: 95, 6: 200, 7: 210, 8: 190}
    april = {1: 102, 2: 60, 3: 92, 4: 107, 5: 900, 6: 205, 7: 215, 8: 195}
    for unit, value in march.items():
        rows.append((unit, 1 if unit <= 5 else 2, MAR, "revenue", float(value)))
    for unit, value in april.items():
        rows.append((unit, 1 if unit <= 5 else 2, APR, "revenue", float(value)))
    return frame(rows)


def test_field_stats_medians_and_quartiles(small):
    out = stats.field_stats(small).set_index("period_start")
    assert out.loc[MAR, "median"] == 107.5  # 90 95 100 105 110 190 200 210
    assert out.loc[MAR, "q1"] == pytest.approx(98.75)
    assert out.loc[MAR, "q3"] == pytest.approx(192.5)
    assert out.loc[MAR, "count"] == 8


def test_rankings_network_and_region(small):
    ranks = stats.rankings(small, field="revenue", period=MAR).set_index("unit_id")
    assert ranks.loc[7, "rank"] == 1 and ranks.loc[3, "rank"] == 8
    assert ranks.loc[2, "region_rank"] == 1 and ranks.loc[2, "rank"] == 4
    assert ranks.loc[8, "region_rank"] == 3 and ranks.loc[8, "region_of"] == 3
    assert ranks.loc[7, "band"] == 4 and ranks.loc[3, "band"] == 1


def test_rank_ties_share_the_best_rank():
    f = frame([(1, 1, MAR, "x", 5.0), (2, 1, MAR, "x", 5.0), (3, 1, MAR, "x", 1.0)])
    ranks = stats.rankings(f, field="x", period=MAR).set_index("unit_id")["rank"].to_dict()
    assert ranks == {1: 1, 2: 1, 3: 3}


def test_outliers_mad_against_region_median_and_drops(small):
    out = stats.outliers(small, field="revenue", period=APR, previous=MAR)
    found = {(r.unit_id, r.reason) for r in out.itertuples()}
    # Unit 5 (900 vs region median 102) is far beyond 3 scaled MADs; unit 2 fell 45 %.
    assert (5, "mad") in found
    assert (2, "drop") in found
    # Region 2 units are high for the network but normal for their region.
    assert not any(unit in (6, 7, 8) for unit, _ in found)
    drop = out[(out.unit_id == 2) & (out.reason == "drop")].iloc[0]
    assert drop.score == pytest.approx(60 / 110 - 1)


def test_unit_trend_mom_yoy_and_rank():
    rows = []
    for month in range(1, 14):
        day = pd.Timestamp(2025, 1, 1) + pd.DateOffset(months=month - 1)
        rows.append((1, 1, day, "revenue", 100.0 + month))
        rows.append((2, 1, day, "revenue", 50.0))
        rows.append((3, 1, day, "revenue", 500.0))
    trend = stats.unit_trend(frame(rows), unit_id=1, field="revenue")
    last = trend.iloc[-1]
    assert last.value == 113 and last.change == pytest.approx(113 / 112 - 1)
    assert last.yoy == pytest.approx(113 / 101 - 1)
    assert last["median"] == 113 and last["rank"] == 2 and last.band == 3
    assert pd.isna(trend.iloc[0].change)


def test_on_time_rate_per_unit_and_region():
    due = pd.Timestamp("2026-04-05")
    subs = pd.DataFrame(
        {
            "unit_id": [1, 1, 2, 2, 3],
            "region_id": [1, 1, 1, 1, 2],
            "period_start": [MAR, APR, MAR, APR, MAR],
            "due_date": [due] * 5,
            "submitted_on": [
                due,
                due + pd.Timedelta(days=2),
                due - pd.Timedelta(days=1),
                pd.NaT,
                due,
            ],
            "status": ["approved", "submitted", "approved", "draft", "returned"],
        }
    )
    by_unit = stats.on_time_rate(subs).set_index("unit_id")["rate"].to_dict()
    assert by_unit == {1: 0.5, 2: 0.5, 3: 1.0}
    by_region = stats.on_time_rate(subs, by="region_id").set_index("region_id")
    assert by_region.loc[1, "expected"] == 4 and by_region.loc[1, "on_time"] == 2


def test_history_warning():
    history = pd.Series([100.0, 104, 98, 101, 99])
    assert stats.history_warning(history, 300) is True
    assert stats.history_warning(history, 103) is False
    assert stats.history_warning(pd.Series([1.0, 2]), 1000) is False  # too little history


def test_frames_from_querysets(network, sales, period):
    report(network.unit, sales, period, revenue=100, receipts=4)
    report(network.other_unit, sales, period, status="draft", revenue=999)
    f = frames.values_frame(frames.counted_values(sales))
    assert set(f["field"]) == {"revenue", "receipts"}
    assert f["value"].sum() == 104  # drafts do not count
    assert f["region_id"].iloc[0] == network.region.pk


def test_svg_charts_escape_labels():
    svg = charts.trend_svg(
        ["<b>", "2"], [1.0, 2.0], low=[0.5, 1], mid=[1, 1.5], high=[2, 3], title="Выручка <script>"
    )
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "chart__band" in svg and "chart__median" in svg
    bars = charts.bars_svg([("Казань", 10), ("Пермь", 5)], title="t")
    # Two bars in each drawing (the wide one and the phone one).
    assert bars.count("<rect") == 4 and bars.count("Казань") >= 2


def test_submissions_frame_takes_the_local_date(network, sales, period, settings):
    """Sent at 00:30 Moscow time the day after the due date (21:30 UTC on it): late, as the
    network scorecards count it."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from reporting.models import Submission

    settings.TIME_ZONE = "Europe/Moscow"
    late = report(network.unit, sales, period, revenue=1)
    early = report(network.other_unit, sales, period, revenue=1)
    due = late.due_date
    moscow = ZoneInfo("Europe/Moscow")
    after_midnight = datetime.combine(due + timedelta(days=1), time(0, 30), tzinfo=moscow)
    before_midnight = datetime.combine(due, time(23, 30), tzinfo=moscow)
    Submission.objects.filter(pk=late.pk).update(submitted_at=after_midnight)
    Submission.objects.filter(pk=early.pk).update(submitted_at=before_midnight)
    subs = frames.submissions_frame(Submission.objects.filter(template=sales))
    sent = subs.set_index("unit_id")["submitted_on"]
    assert sent[network.unit.pk] == pd.Timestamp(due + timedelta(days=1))
    assert sent[network.other_unit.pk] == pd.Timestamp(due)
    rates = stats.on_time_rate(subs).set_index("unit_id")["on_time"].to_dict()
    assert rates == {network.unit.pk: 0, network.other_unit.pk: 1}
