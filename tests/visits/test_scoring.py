"""The score: weighted share of applicable items passed; a failed critical item fails."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from visits import scoring
from visits.scoring import Answer


def item(key, kind="yes_no", weight=1, critical=False, low=None, high=None):
    return {
        "key": key,
        "section": "S",
        "kind": kind,
        "weight": weight,
        "critical": critical,
        "pass_min": low,
        "pass_max": high,
    }


YES, NO, NA = Answer(Decimal(1)), Answer(Decimal(0)), Answer(na=True)


def test_weighted_share_skips_not_applicable():
    items = [item("a", weight=3), item("b", weight=1), item("c", weight=5)]
    result = scoring.score(items, {"a": YES, "b": NO, "c": NA}, 70)
    assert result.score == Decimal("75.0")
    assert result.passed and result.failed == ["b"]


def test_failed_critical_fails_whatever_the_score():
    items = [item("a", weight=99), item("b", critical=True)]
    result = scoring.score(items, {"a": YES, "b": NO}, 50)
    assert result.score == Decimal("99.0")
    assert not result.passed and result.critical_failed == ["b"]


def test_below_pass_score_fails():
    result = scoring.score([item("a"), item("b")], {"a": YES, "b": NO}, 80)
    assert result.score == Decimal("50.0") and not result.passed


def test_scale_and_number_bounds():
    scale = item("s", "scale")
    assert scoring.item_passed(scale, Answer(Decimal(4))) is True
    assert scoring.item_passed(scale, Answer(Decimal(3))) is False
    fridge = item("f", "number", low="0", high="5")
    assert scoring.item_passed(fridge, Answer(Decimal("5.0"))) is True
    assert scoring.item_passed(fridge, Answer(Decimal("7.5"))) is False
    assert scoring.item_passed(fridge, None) is None


@pytest.mark.parametrize("raw", ["6", "-1", "2.5", "abc", "NaN", "1e20"])
def test_scale_answers_outside_the_scale_are_refused(raw):
    with pytest.raises(ValidationError):
        scoring.parse_answer(item("s", "scale"), raw)


def test_parse_answer_kinds():
    assert scoring.parse_answer(item("a"), "yes") == YES
    assert scoring.parse_answer(item("a"), "na") == NA
    assert scoring.parse_answer(item("a"), "") is None
    assert scoring.parse_answer(item("n", "number"), "3,5").value == Decimal("3.50")
    with pytest.raises(ValidationError):
        scoring.parse_answer(item("a"), "maybe")


answers = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10),
        st.booleans(),
        st.sampled_from(["yes", "no", "na"]),
    ),
    min_size=1,
    max_size=30,
)


@settings(deadline=None)  # slow only under a loaded full run
@given(answers, st.integers(min_value=0, max_value=100))
def test_score_properties(rows, pass_score):
    items = [item(str(i), weight=w, critical=c) for i, (w, c, _a) in enumerate(rows)]
    given_answers = {
        str(i): {"yes": YES, "no": NO, "na": NA}[a] for i, (_w, _c, a) in enumerate(rows)
    }
    result = scoring.score(items, given_answers, pass_score)
    applicable = [(w, a) for w, _c, a in rows if a != "na"]
    total = sum(w for w, _a in applicable)
    if total:
        assert Decimal(0) <= result.score <= Decimal(100)
        expected = Decimal(100 * sum(w for w, a in applicable if a == "yes")) / total
        assert abs(result.score - expected) <= Decimal("0.05")
    else:
        assert result.score is None
    critical_failed = any(c and a == "no" for _w, c, a in rows)
    assert bool(result.critical_failed) == critical_failed
    if critical_failed:
        assert not result.passed
    elif result.score is not None:
        assert result.passed == (result.score >= pass_score)
    # Turning a failed item into a pass never lowers the score.
    for key in result.failed if result.score is not None else []:
        better = scoring.score(items, {**given_answers, key: YES}, pass_score)
        assert better.score >= result.score
