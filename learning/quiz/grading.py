"""Scoring answers against the questions of the revision an attempt was drawn from."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from .questions import Question

RIGHT, WRONG, PARTIAL, BLANK = "right", "wrong", "partial", "blank"


def _norm(text: str, case_sensitive: bool) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return text if case_sensitive else text.casefold().replace("ё", "е")


def _share(q: Question, answer, entry: dict) -> Decimal:
    """The share of the question's points earned, 0..1."""
    if q.type == "single":
        right = {o[0] for o in q.options if o[2]}
        return Decimal(1) if answer in right else Decimal(0)
    if q.type == "multiple":
        right = {o[0] for o in q.options if o[2]}
        chosen = set(answer)
        if chosen == right:
            return Decimal(1)
        if not q.partial_credit or not right:
            return Decimal(0)
        share = Decimal(len(chosen & right) - len(chosen - right)) / Decimal(len(right))
        return max(Decimal(0), share)
    if q.type == "true_false":
        return Decimal(1) if answer is q.correct else Decimal(0)
    if q.type == "numeric":
        return Decimal(1) if abs(float(answer) - q.correct) <= q.tolerance + 1e-9 else Decimal(0)
    if q.type == "short_text":
        given = _norm(str(answer), q.case_sensitive)
        return (
            Decimal(1)
            if any(given == _norm(a, q.case_sensitive) for a in q.accepted)
            else Decimal(0)
        )
    if q.type == "matching":
        token_pair = dict(entry.get("rights", []))
        hits = sum(1 for pid, token in answer.items() if token_pair.get(token) == pid)
        total = len(q.options)
    elif q.type == "ordering":
        right_position = {o[0]: i for i, o in enumerate(q.options, start=1)}
        hits = sum(1 for oid, pos in answer.items() if right_position.get(oid) == pos)
        total = len(q.options)
    else:
        return Decimal(0)
    if hits == total:
        return Decimal(1)
    return Decimal(hits) / Decimal(total) if q.partial_credit and total else Decimal(0)


def grade_question(q: Question, answer, entry: dict) -> tuple[Decimal, str]:
    if answer in (None, "", [], {}):
        return Decimal(0), BLANK
    share = _share(q, answer, entry)
    earned = (q.points * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    status = RIGHT if share == 1 else (PARTIAL if share > 0 else WRONG)
    return earned, status


def grade_attempt(drawn: list[dict], questions: dict[str, Question], answers: dict) -> dict:
    """{"score", "max_score", "percent", "results": {qid: {"earned", "points", "status"}}}."""
    results = {}
    score = max_score = Decimal(0)
    for entry in drawn:
        q = questions[entry["id"]]
        earned, status = grade_question(q, answers.get(q.id), entry)
        results[q.id] = {"earned": str(earned), "points": str(q.points), "status": status}
        score += earned
        max_score += q.points
    percent = (
        (score * 100 / max_score).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if max_score
        else Decimal(100)
    )
    return {"score": score, "max_score": max_score, "percent": percent, "results": results}
