"""Reading a learner's POST into answers, refusing anything that was not on their paper."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .questions import Question

MAX_TEXT = 200


class TamperedAnswer(ValueError):
    """The POST names questions or options that were not on the learner's paper."""


def _keys(entry: dict, q: Question) -> set[str]:
    if q.type in ("matching", "ordering"):
        return {f"q-{q.id}-{oid}" for oid in entry["order"]}
    return {f"q-{q.id}"}


def parse_answers(drawn: list[dict], questions: dict[str, Question], data) -> tuple[dict, dict]:
    """(answers {question id: value}, errors {question id: message}) from a QueryDict.

    Raises TamperedAnswer for unknown or undrawn questions and foreign option ids; a bad
    number is an ordinary error shown next to the question.
    """
    allowed: set[str] = set()
    for entry in drawn:
        if entry["id"] not in questions:
            raise TamperedAnswer("paper refers to a missing question")
        allowed |= _keys(entry, questions[entry["id"]])
    stray = [k for k in data if k.startswith("q-") and k not in allowed]
    if stray:
        raise TamperedAnswer(f"unknown answer fields: {sorted(stray)[:3]}")

    answers: dict = {}
    errors: dict = {}
    for entry in drawn:
        q = questions[entry["id"]]
        key = f"q-{q.id}"
        if q.type == "single":
            value = data.get(key, "")
            if value:
                if value not in q.option_ids():
                    raise TamperedAnswer("option of another question")
                answers[q.id] = value
        elif q.type == "multiple":
            values = [v for v in data.getlist(key) if v]
            if any(v not in q.option_ids() for v in values):
                raise TamperedAnswer("option of another question")
            if values:
                answers[q.id] = sorted(set(values))
        elif q.type == "true_false":
            value = data.get(key, "")
            if value:
                if value not in ("true", "false"):
                    raise TamperedAnswer("true/false expected")
                answers[q.id] = value == "true"
        elif q.type == "numeric":
            raw = data.get(key, "").strip().replace(",", ".").replace(" ", "")
            if raw:
                try:
                    number = float(raw)
                    if number != number or number in (float("inf"), float("-inf")):
                        raise ValueError
                except ValueError:
                    errors[q.id] = _("Enter a number, for example 12.5.")
                else:
                    answers[q.id] = number
        elif q.type == "short_text":
            value = data.get(key, "").strip()
            if len(value) > MAX_TEXT:
                errors[q.id] = _("Keep the answer under %(n)s characters.") % {"n": MAX_TEXT}
            elif value:
                answers[q.id] = value
        elif q.type == "matching":
            tokens = {t for t, _pid in entry["rights"]}
            chosen = {}
            for pid in entry["order"]:
                value = data.get(f"{key}-{pid}", "")
                if value:
                    if value not in tokens:
                        raise TamperedAnswer("matching choice of another question")
                    chosen[pid] = value
            if chosen:
                answers[q.id] = chosen
        elif q.type == "ordering":
            positions = {}
            n = len(entry["order"])
            for oid in entry["order"]:
                value = data.get(f"{key}-{oid}", "")
                if value:
                    if not value.isdigit() or not 1 <= int(value) <= n:
                        raise TamperedAnswer("position out of range")
                    positions[oid] = int(value)
            if positions:
                if len(set(positions.values())) != len(positions):
                    errors[q.id] = _("Give each item a different position.")
                answers[q.id] = positions
    return answers, errors
