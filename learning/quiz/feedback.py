"""What the learner sees after grading, by the quiz's feedback level."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .questions import Question


def _right_answer(q: Question) -> str:
    if q.type in ("single", "multiple"):
        return "; ".join(o[1] for o in q.options if o[2])
    if q.type == "true_false":
        return _("True") if q.correct else _("False")
    if q.type == "numeric":
        tolerance = f" ± {q.tolerance:g}" if q.tolerance else ""
        return f"{q.correct:g}{tolerance} {q.unit}".strip()
    if q.type == "short_text":
        return " / ".join(q.accepted)
    if q.type == "matching":
        return "; ".join(f"{o[1]} → {o[2]}" for o in q.options)
    if q.type == "ordering":
        return " → ".join(o[1] for o in q.options)
    return ""


def _given(q: Question, answer, entry: dict) -> str:
    if answer in (None, "", [], {}):
        return "—"
    if q.type == "single":
        return next((o[1] for o in q.options if o[0] == answer), "—")
    if q.type == "multiple":
        return "; ".join(o[1] for o in q.options if o[0] in answer)
    if q.type == "true_false":
        return _("True") if answer else _("False")
    if q.type == "matching":
        lefts = {o[0]: o[1] for o in q.options}
        rights = {o[0]: o[2] for o in q.options}
        token_pair = dict(entry.get("rights", []))
        return "; ".join(
            f"{lefts.get(pid, '?')} → {rights.get(token_pair.get(tok), '?')}"
            for pid, tok in answer.items()
        )
    if q.type == "ordering":
        texts = {o[0]: o[1] for o in q.options}
        return " → ".join(
            texts.get(oid, "?") for oid, _p in sorted(answer.items(), key=lambda x: x[1])
        )
    return str(answer)


def review(attempt, questions: dict[str, Question], level: str) -> list[dict]:
    """Rows for the result page: none for "score", statuses for "wrong", everything for "full"."""
    if level == "score":
        return []
    rows = []
    for number, entry in enumerate(attempt.drawn, start=1):
        q = questions[entry["id"]]
        result = attempt.results.get(q.id, {})
        row = {
            "number": number,
            "prompt": q.prompt,
            "status": result.get("status", "blank"),
            "earned": result.get("earned"),
            "points": result.get("points"),
        }
        if level == "full":
            answer = attempt.answers.get(q.id)
            row.update(
                given=_given(q, answer, entry),
                right=_right_answer(q),
                explanation=q.explanation,
            )
        rows.append(row)
    return rows
