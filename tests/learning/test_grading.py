"""The engine without HTTP: every question type right, wrong and partly right; tampering."""

import random
from decimal import Decimal

import pytest
from django.http import QueryDict

from learning.quiz import TamperedAnswer, draw, grade_attempt, parse_answers, questions_of
from tests.learning.conftest import RIGHT_POST, make_quiz


def _post(data: dict) -> QueryDict:
    qd = QueryDict(mutable=True)
    for k, v in data.items():
        qd.setlist(k, v if isinstance(v, list) else [v])
    return qd


@pytest.fixture
def paper(db):
    quiz = make_quiz(shuffle_questions=True, shuffle_options=True)
    snapshot = quiz.live_revision.as_object()
    questions = questions_of(snapshot)
    drawn = draw(questions, snapshot, random.Random(3))
    return questions, drawn


def _match_post(drawn, mapping):
    """{left pair id: right pair id} -> POST fields with this paper's tokens."""
    entry = next(e for e in drawn if e["id"] == "q-match")
    token = {pid: t for t, pid in entry["rights"]}
    return {f"q-q-match-{left}": token[right] for left, right in mapping.items()}


def _grade(paper, data):
    questions, drawn = paper
    answers, errors = parse_answers(drawn, questions, _post(data))
    assert errors == {}
    return grade_attempt(drawn, questions, answers)


def test_all_right(paper):
    data = {
        **RIGHT_POST,
        **_match_post(paper[1], {"p-red": "p-red", "p-blue": "p-blue", "p-green": "p-green"}),
    }
    graded = _grade(paper, data)
    assert {r["status"] for r in graded["results"].values()} == {"right"}
    assert graded["score"] == graded["max_score"] == Decimal(12)
    assert graded["percent"] == Decimal(100)


def test_all_wrong(paper):
    data = {
        "q-q-single": "s-b",
        "q-q-multi": ["m-c"],
        "q-q-tf": "false",
        "q-q-num": "70",
        "q-q-text": "LIFO",
        **_match_post(paper[1], {"p-red": "p-blue", "p-blue": "p-green", "p-green": "p-red"}),
        "q-q-order-o-1": "4",
        "q-q-order-o-2": "3",
        "q-q-order-o-3": "2",
        "q-q-order-o-4": "1",
    }
    graded = _grade(paper, data)
    assert {r["status"] for r in graded["results"].values()} == {"wrong"}
    assert graded["score"] == 0 and graded["percent"] == 0


def test_partial_credit(paper):
    data = {
        # 2 right picks - 1 wrong pick of 3 right options: 1/3 of 2 points
        "q-q-multi": ["m-a", "m-b", "m-c"],
        # one of three pairs right: 1 point of 3
        **_match_post(paper[1], {"p-red": "p-red", "p-blue": "p-green", "p-green": "p-blue"}),
        # two of four positions right: 1.5 of 3
        "q-q-order-o-1": "1",
        "q-q-order-o-2": "2",
        "q-q-order-o-3": "4",
        "q-q-order-o-4": "3",
    }
    r = _grade(paper, data)["results"]
    assert r["q-multi"] == {"earned": "0.67", "points": "2", "status": "partial"}
    assert r["q-match"]["earned"] == "1.00" and r["q-match"]["status"] == "partial"
    assert r["q-order"]["earned"] == "1.50" and r["q-order"]["status"] == "partial"
    assert r["q-single"]["status"] == "blank"


def test_partial_credit_off_is_all_or_nothing(db):
    from tests.learning.conftest import every_type

    questions = every_type()
    questions[1]["value"]["partial_credit"] = False
    quiz = make_quiz(questions=questions)
    snap = quiz.live_revision.as_object()
    qs = questions_of(snap)
    drawn = draw(qs, snap, random.Random(1))
    answers, _ = parse_answers(drawn, qs, _post({"q-q-multi": ["m-a", "m-b"]}))
    assert grade_attempt(drawn, qs, answers)["results"]["q-multi"]["status"] == "wrong"


@pytest.mark.parametrize(
    "value, status", [("75", "right"), ("73.0", "right"), ("77,0", "right"), ("77.1", "wrong")]
)
def test_numeric_tolerance(paper, value, status):
    assert _grade(paper, {"q-q-num": value})["results"]["q-num"]["status"] == status


def test_short_text_accepts_any_listed_answer(paper):
    assert _grade(paper, {"q-q-text": "фифо"})["results"]["q-text"]["status"] == "right"
    assert _grade(paper, {"q-q-text": "F I F O"})["results"]["q-text"]["status"] == "wrong"


def test_bad_number_is_a_field_error(paper):
    questions, drawn = paper
    answers, errors = parse_answers(drawn, questions, _post({"q-q-num": "seventy"}))
    assert "q-num" in errors and "q-num" not in answers


@pytest.mark.parametrize(
    "data",
    [
        {"q-nonexistent": "x"},  # unknown question id
        {"q-q-single": "m-a"},  # option id of another question
        {"q-q-multi": ["m-a", "s-a"]},
        {"q-q-tf": "maybe"},
        {"q-q-order-o-1": "9"},
        {"q-q-match-p-red": "p-red"},  # a pair id is not a token of this paper
    ],
)
def test_tampered_answers_are_rejected(paper, data):
    questions, drawn = paper
    with pytest.raises(TamperedAnswer):
        parse_answers(drawn, questions, _post(data))


def test_answers_to_undrawn_questions_are_rejected(db):
    quiz = make_quiz(draw_count=3)
    snap = quiz.live_revision.as_object()
    qs = questions_of(snap)
    drawn = draw(qs, snap, random.Random(5))
    assert len(drawn) == 3
    undrawn = next(qid for qid in qs if qid not in {e["id"] for e in drawn})
    with pytest.raises(TamperedAnswer):
        parse_answers(drawn, qs, _post({f"q-{undrawn}": "x"}))


def test_matching_and_ordering_are_never_shown_in_answer_order(db):
    quiz = make_quiz()
    snap = quiz.live_revision.as_object()
    qs = questions_of(snap)
    for seed in range(10):
        drawn = {e["id"]: e for e in draw(qs, snap, random.Random(seed))}
        assert drawn["q-order"]["order"] != ["o-1", "o-2", "o-3", "o-4"]
        assert [pid for _, pid in drawn["q-match"]["rights"]] != ["p-red", "p-blue", "p-green"]
