"""A plain view of quiz questions, read from one quiz revision's StreamField."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Question:
    id: str
    type: str
    prompt: str
    points: Decimal
    explanation: str = ""
    image: object = None
    #: single/multiple: [(id, text, correct)]; matching: [(id, left, right)];
    #: ordering: [(id, text)] in the right order.
    options: list = field(default_factory=list)
    correct: object = None  # true_false: bool; numeric: float
    tolerance: float = 0.0
    unit: str = ""
    accepted: list = field(default_factory=list)
    case_sensitive: bool = False
    partial_credit: bool = False

    def option_ids(self) -> set[str]:
        return {o[0] for o in self.options}


def questions_of(quiz) -> dict[str, Question]:
    """{question id: Question} in authoring order, for a Quiz instance (live or a revision)."""
    result: dict[str, Question] = {}
    for child in quiz.questions:
        v = child.value
        q = Question(
            id=child.id,
            type=child.block_type,
            prompt=v["prompt"],
            points=Decimal(v["points"] if v["points"] is not None else 1),
            explanation=v.get("explanation") or "",
            image=v.get("image"),
            partial_credit=bool(v.get("partial_credit", False)),
        )
        if q.type in ("single", "multiple"):
            q.options = [
                (b.id, b.value["text"], bool(b.value["correct"])) for b in v["options"].bound_blocks
            ]
        elif q.type == "true_false":
            q.correct = bool(v["correct"])
        elif q.type == "numeric":
            q.correct = float(v["answer"])
            q.tolerance = float(v["tolerance"] or 0)
            q.unit = v.get("unit") or ""
        elif q.type == "short_text":
            q.accepted = [a for a in v["accepted"] if a]
            q.case_sensitive = bool(v.get("case_sensitive"))
        elif q.type == "matching":
            q.options = [(b.id, b.value["left"], b.value["right"]) for b in v["pairs"].bound_blocks]
        elif q.type == "ordering":
            q.options = [(b.id, b.value) for b in v["items"].bound_blocks]
        result[q.id] = q
    return result
