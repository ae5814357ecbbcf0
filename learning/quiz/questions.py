"""A plain view of quiz questions, read from one quiz revision's StreamField."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


def _options_in_words_of(q: Question, words: Question) -> list:
    """`q.options` (ids, order and correctness kept) with the texts of `words.options`."""
    texts = {o[0]: o[1:] for o in words.options}
    options = []
    for option in q.options:
        text = texts.get(option[0])
        if text is None:
            options.append(option)
        elif q.type in ("single", "multiple"):
            options.append((option[0], text[0], option[2]))
        else:  # matching: (id, left, right); ordering: (id, text)
            options.append((option[0], *text))
    return options


def in_words_of(questions: dict[str, Question], translation) -> dict[str, Question]:
    """`questions` (what is graded) worded as in `translation`, a translation of their quiz.

    A translation is a copy of the quiz (copy_for_translation keeps every question and option
    id), so ids, answers, points and order stay those of `questions`; only the words come from
    the translation. A question or option the translation lacks keeps its own words.
    """
    if translation is None:
        return questions
    words = questions_of(translation)
    result = {}
    for qid, q in questions.items():
        w = words.get(qid)
        if w is None or w.type != q.type:
            result[qid] = q
            continue
        result[qid] = replace(
            q,
            prompt=w.prompt or q.prompt,
            explanation=w.explanation or q.explanation,
            image=w.image or q.image,
            unit=w.unit or q.unit,
            options=_options_in_words_of(q, w),
        )
    return result
