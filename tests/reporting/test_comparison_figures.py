"""The comparison figures against values computed by hand on a small fixed network: medians and
quartiles (linear interpolation), ranks and percentile ranks with ties, a network of one unit,
missing months, and the outlier rule's floor on nearly identical values."""

import pandas as pd
import pytest

from reporting.analytics import stats

JAN, FEB, MAR = (pd.Timestamp(f"2026-0{m}-01") for m in (1, 2, 3))


def frame(rows):
    return pd.DataFrame(rows, columns=["unit_id", "region_id", "period_start", "field", "value"])


@pytest.fixture
def four():
    """Four units in one region; units 2 and 3 tie in February; unit 4 misses February."""
    values = {
        JAN: {1: 10.0, 2: 20.0, 3: 30.0, 4: 40.0},
        FEB: {1: 12.0, 2: 24.0, 3: 24.0},
        MAR: {1: 14.0, 2: 22.0, 3: 26.0, 4: 44.0},
    }
    return frame([(u, 1, p, "revenue", v) for p, row in values.items() for u, v in row.items()])


def test_median_and_quartiles_by_hand(four):
    out = stats.field_stats(four).set_index("period_start")
    # January 10 20 30 40: median (20+30)/2; q1 = 10 + 0.75·10; q3 = 30 + 0.25·10.
    assert out.loc[JAN, ["q1", "median", "q3"]].tolist() == [17.5, 25.0, 32.5]
    # February 12 24 24 (unit 4 missing): three values, the middle one is the median.
    assert out.loc[FEB, ["count", "q1", "median", "q3"]].tolist() == [3, 18.0, 24.0, 24.0]


def test_ties_share_the_best_rank_and_the_middle_percentile(four):
    ranks = stats.rankings(four, field="revenue", period=FEB).set_index("unit_id")
    assert ranks["rank"].to_dict() == {1: 3, 2: 1, 3: 1}
    assert ranks["of"].iloc[0] == 3
    # Percentile rank = (units below + half the units equal, itself included) / all.
    assert ranks["percentile"].to_dict() == pytest.approx({1: 100 / 6, 2: 400 / 6, 3: 400 / 6})


def test_a_network_of_one_unit():
    one = frame([(1, 1, JAN, "revenue", 50.0), (1, 1, FEB, "revenue", 60.0)])
    ranks = stats.rankings(one, field="revenue", period=FEB).iloc[0]
    assert (ranks["rank"], ranks["of"], ranks["percentile"]) == (1, 1, 50.0)
    trend = stats.unit_trend(one, unit_id=1, field="revenue").iloc[-1]
    assert trend["median"] == 60.0 and trend["change"] == pytest.approx(0.2)
    assert stats.outliers(one, field="revenue", period=FEB, previous=JAN).empty


def test_a_missing_month_has_no_value_and_breaks_the_change(four):
    trend = stats.unit_trend(four, unit_id=4, field="revenue").set_index("period_start")
    assert pd.isna(trend.loc[FEB, "value"]) and pd.isna(trend.loc[FEB, "rank"])
    # The network median of February is still shown beside the gap.
    assert trend.loc[FEB, "median"] == 24.0
    # March is not compared with a month that was never reported.
    assert pd.isna(trend.loc[MAR, "change"])
    assert trend.loc[MAR, "rank"] == 1 and trend.loc[MAR, "percentile"] == pytest.approx(87.5)


def test_nearly_identical_values_are_not_unusual():
    values = [100.00, 100.01, 100.02, 100.03, 100.5]
    same = frame([(i, 1, JAN, "revenue", v) for i, v in enumerate(values, start=1)])
    assert stats.outliers(same, field="revenue", period=JAN).empty
    assert stats.history_warning(pd.Series([100.0, 100.01, 100.0, 100.02]), 100.5) is False


def test_a_real_outlier_is_still_found_beside_identical_values():
    values = [100.0, 100.0, 100.0, 100.0, 160.0]
    same = frame([(i, 1, JAN, "revenue", v) for i, v in enumerate(values, start=1)])
    assert stats.outliers(same, field="revenue", period=JAN)["unit_id"].tolist() == [5]
    assert stats.history_warning(pd.Series([100.0, 100.0, 100.0, 100.0]), 160.0) is True
    assert stats.history_warning(pd.Series([100.0, 100.0, 100.0, 100.0]), 120.0) is False


def test_the_unit_page_states_its_percentile_rank(network, client_for, sales, period):
    from .conftest import report

    report(network.unit, sales, period, revenue=5000, receipts=10, staff=2)
    report(network.other_unit, sales, period, revenue=3000, receipts=10, staff=2)
    html = client_for(network.owner).get(f"/reports/u/{network.unit.code}/analytics/")
    # Two units: the better one has one below and itself: (1 + 0.5) / 2 = 75.
    assert "rank 1 of 2 in the network" in html.content.decode()
    assert "percentile rank 75" in html.content.decode()
