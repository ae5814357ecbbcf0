"""The anonymity rule on generated data: no filter combination shows a group under 5, and an
answer held back changes no figure anywhere (so no difference of two views reveals it)."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import results as R

ROUNDS, REGIONS, MANAGERS = [1, 2, 3, 4], [10, 11, 12], [20, 21, None]

responses = st.lists(
    st.tuples(
        st.sampled_from(ROUNDS),
        st.sampled_from(REGIONS),
        st.sampled_from(MANAGERS),
        st.integers(0, 10),
    ),
    max_size=80,
)
filters = st.fixed_dictionaries(
    {
        "round": st.sampled_from([None, *ROUNDS, 99]),
        "region": st.sampled_from([None, *REGIONS]),
        "manager": st.sampled_from([None, 20, 21]),
    }
)


def frame(rows) -> pd.DataFrame:
    return counted(pd.DataFrame(rows, columns=[*R.CELL, "nps"]))


def counted(rows: pd.DataFrame) -> pd.DataFrame:
    """Single answers counted per cell and mark, as the database hands them over."""
    if rows.empty:
        return pd.DataFrame(columns=R.RESPONSE_COLUMNS)
    grouped = rows.groupby([*R.CELL, "nps"], dropna=False).size()
    return grouped.reset_index(name="n")[R.RESPONSE_COLUMNS]


def groups(data) -> list[dict]:
    return [data["total"], *(row for rows in data["by"].values() for row in rows)]


def visible(data):
    """Everything a page or an export shows (ids of released rows are internal)."""
    return {k: v for k, v in data.items() if k != "released_cells"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=responses, chosen=filters, changes=st.lists(st.integers(0, 10), min_size=80))
def test_no_filter_narrows_a_group_below_five_nor_reveals_a_held_back_answer(rows, chosen, changes):
    data = R.compute(frame(rows), min_group=5, filters=chosen)
    for group in groups(data):
        assert group["n"] == 0 or group["n"] >= 5
        assert sum(group["dist"]) == group["n"]
    # Change every answer of every cell under 5: no figure of any view may move.
    raw = pd.DataFrame(rows, columns=[*R.CELL, "nps"])
    if len(raw):
        small = raw.groupby(R.CELL, dropna=False)["nps"].transform("size") < 5
        raw.loc[small, "nps"] = changes[: int(small.sum())]
    again = R.compute(counted(raw), min_group=5, filters=chosen)
    assert visible(again) == visible(data)


@settings(max_examples=100, deadline=None)
@given(rows=responses, chosen=filters)
def test_filters_are_unions_of_whole_cells(rows, chosen):
    """The filtered total is the sum of its breakdown rows, in every breakdown."""
    data = R.compute(frame(rows), min_group=5, filters=chosen)
    for rows_ in data["by"].values():
        assert sum(r["n"] for r in rows_) == data["total"]["n"]


def test_nps_is_promoters_minus_detractors():
    scores = pd.DataFrame({"nps": [10, 9, 9, 8, 7, 6, 0, 3, 10], "n": [2] + [1] * 8})
    summary = R.summarize(scores)
    assert summary["n"] == 10
    assert (summary["promoters"], summary["passives"], summary["detractors"]) == (50, 20, 30)
    assert summary["nps"] == 20
    assert summary["dist"][10] == 3


def test_small_cells_are_held_back_and_named_as_such():
    rows = [(1, 10, 20, 10)] * 5 + [(1, 11, 20, 0)] * 4
    data = R.compute(frame(rows), min_group=5, filters={"round": None})
    assert data["total"]["n"] == 5 and data["total"]["nps"] == 100
    assert data["held_back"] == 4
    assert [r["key"] for r in data["by"]["region"]] == [10]


@pytest.mark.parametrize("min_group", [1])
def test_named_surveys_show_every_group(min_group):
    rows = [(1, 10, 20, 10), (1, 11, 21, 0)]
    data = R.compute(frame(rows), min_group=min_group, filters={})
    assert data["total"]["n"] == 2 and data["held_back"] == 0
