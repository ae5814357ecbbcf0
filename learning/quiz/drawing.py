"""Drawing a learner's paper, and the answer-free view of it that templates receive.

Matching and ordering are always shuffled, whatever the quiz says: shown in authoring order
they would give the answer away. Right-hand matching choices get per-attempt tokens, so their
values say nothing about which left item they belong to.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from .questions import Question


def _shuffled(items: list, rng, *, avoid_identity: bool = False) -> list:
    items = list(items)
    original = list(items)
    for _ in range(5):
        rng.shuffle(items)
        if not avoid_identity or items != original or len(items) < 2:
            break
    return items


def draw(questions: dict[str, Question], quiz, rng) -> list[dict]:
    """[{"id", "type", "order", "rights"?}] in the order the learner will see them."""
    pool = list(questions.values())
    if quiz.draw_count and quiz.draw_count < len(pool):
        chosen = {q.id for q in rng.sample(pool, quiz.draw_count)}
        pool = [q for q in pool if q.id in chosen]
    if quiz.shuffle_questions:
        pool = _shuffled(pool, rng)
    drawn = []
    for q in pool:
        entry: dict = {"id": q.id, "type": q.type, "order": []}
        ids = [o[0] for o in q.options]
        if q.type in ("single", "multiple"):
            entry["order"] = _shuffled(ids, rng) if quiz.shuffle_options else ids
        elif q.type == "matching":
            entry["order"] = _shuffled(ids, rng) if quiz.shuffle_options else ids
            rights = _shuffled(ids, rng, avoid_identity=True)
            entry["rights"] = [[secrets.token_hex(5), pid] for pid in rights]
        elif q.type == "ordering":
            entry["order"] = _shuffled(ids, rng, avoid_identity=True)
        drawn.append(entry)
    return drawn


@dataclass
class PaperQuestion:
    """What a template may know about a question while the attempt is open: no answers."""

    number: int
    id: str
    type: str
    prompt: str
    points: object
    image: object = None
    unit: str = ""
    choices: list = field(default_factory=list)  # [{"value", "text", "checked"?}]
    lefts: list = field(default_factory=list)  # matching/ordering: [{"key", "text", "selected"}]
    positions: list = field(default_factory=list)  # ordering: [1..n]
    answer: object = None  # what the learner has saved so far
    error: str = ""


def paper(drawn: list[dict], questions: dict[str, Question], answers: dict) -> list[PaperQuestion]:
    result = []
    for number, entry in enumerate(drawn, start=1):
        q = questions[entry["id"]]
        p = PaperQuestion(
            number=number,
            id=q.id,
            type=q.type,
            prompt=q.prompt,
            points=q.points,
            image=q.image,
            unit=q.unit,
            answer=answers.get(q.id),
        )
        saved = answers.get(q.id)
        if q.type in ("single", "multiple"):
            texts = {o[0]: o[1] for o in q.options}
            chosen = set(saved or []) if q.type == "multiple" else {saved}
            p.choices = [
                {"value": oid, "text": texts[oid], "checked": oid in chosen}
                for oid in entry["order"]
            ]
        elif q.type == "matching":
            lefts = {o[0]: o[1] for o in q.options}
            rights = {o[0]: o[2] for o in q.options}
            saved = saved or {}
            p.choices = [{"value": token, "text": rights[pid]} for token, pid in entry["rights"]]
            p.lefts = [
                {"key": f"q-{q.id}-{pid}", "text": lefts[pid], "selected": saved.get(pid, "")}
                for pid in entry["order"]
            ]
        elif q.type == "ordering":
            texts = {o[0]: o[1] for o in q.options}
            saved = saved or {}
            p.lefts = [
                {"key": f"q-{q.id}-{oid}", "text": texts[oid], "selected": saved.get(oid, "")}
                for oid in entry["order"]
            ]
            p.positions = list(range(1, len(p.lefts) + 1))
        result.append(p)
    return result
