"""Survey results: NPS, distributions and comments per region, manager and round.

The anonymity rule is applied once, at the finest grain: a *cell* is (round, region, account
manager), every figure is a sum over cells, and an anonymous survey's cell counts only when it
holds at least `MIN_GROUP` responses. Responses of smaller cells are left out of every number
(totals too), so no filter, breakdown, export or difference of two of them can narrow a group
below the minimum or reveal anything about a held-back answer. Anonymous results also wait
for the round to close: figures that never change cannot be told apart before and after one
more answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext as _

from franchise.models import Region

from .models import Answer, Participation, QuestionKind, Response, Round, Survey

CELL = ["round_id", "region_id", "manager_id"]
DIMENSIONS = {"round": "round_id", "region": "region_id", "manager": "manager_id"}
#: Responses come counted in SQL: one row per cell and mark (0–10) with its number `n`.
RESPONSE_COLUMNS = [*CELL, "nps", "n"]
#: Answers come grouped by cell in SQL (a row per cell, question and value, with its count).
ANSWER_COLUMNS = [*CELL, "question_id", "number", "text", "n"]


def release(responses: pd.DataFrame, min_group: int) -> tuple[pd.DataFrame, int]:
    """(rows of cells with at least `min_group` responses, number of responses held back)."""
    if responses.empty or min_group <= 1:
        return responses, 0
    size = responses.groupby(CELL, dropna=False)["n"].transform("sum")
    kept = responses[size >= min_group]
    return kept, int(responses["n"].sum() - kept["n"].sum())


def apply_filters(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """Keep the rows matching every filter (dimension -> id, None for "all")."""
    for name, value in filters.items():
        if value is not None and not frame.empty:
            frame = frame[frame[DIMENSIONS[name]] == value]
    return frame


def summarize(frame: pd.DataFrame) -> dict:
    """n, NPS (share of 9–10 minus share of 0–6, in points), the three shares and 0–10 counts
    of counted rows (nps, n)."""
    by_mark = frame.groupby("nps")["n"].sum() if len(frame) else {}
    counts = [int(by_mark.get(mark, 0)) for mark in range(11)]
    n = sum(counts)
    if not n:
        return {"n": 0, "nps": None, "promoters": 0, "passives": 0, "detractors": 0, "dist": counts}
    promoters, detractors = sum(counts[9:]), sum(counts[:7])
    return {
        "n": n,
        "nps": round(100 * (promoters - detractors) / n),
        "promoters": round(100 * promoters / n),
        "passives": round(100 * (n - promoters - detractors) / n),
        "detractors": round(100 * detractors / n),
        "dist": counts,
    }


def breakdown(frame: pd.DataFrame, dimension: str) -> list[dict]:
    """One row per value of `dimension`, each summarized (only cells already released)."""
    if frame.empty:
        return []
    column = DIMENSIONS[dimension]
    rows = []
    for key, group in frame.groupby(column, dropna=False, sort=True):
        rows.append({"key": None if pd.isna(key) else int(key), **summarize(group)})
    return rows


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The cell columns as plain integers (-1 for none), so frames from two queries join."""
    return frame[CELL].fillna(-1).astype("int64")


def question_summaries(questions, answers: pd.DataFrame, cells: pd.DataFrame) -> list[dict]:
    """Ratings (mean and 1–5 counts), choices (counts) and comments of the released cells only.
    Comments are sorted by their text, never by when or by whom they were written."""
    if not answers.empty:
        keys = answers.assign(**_cells(answers))
        answers = keys.merge(cells, on=CELL, how="inner") if len(cells) else keys.iloc[0:0]
    summaries = []
    for question in questions:
        mine = answers[answers["question_id"] == question.pk] if len(answers) else answers
        entry = {"question": question, "kind": question.kind, "n": int(mine["n"].sum())}
        if question.kind == QuestionKind.RATING:
            counts = mine.groupby("number")["n"].sum() if len(mine) else pd.Series(dtype="int64")
            dist = [int(counts.get(m, 0)) for m in range(1, 6)]
            total = sum(dist)
            entry["mean"] = (
                round(sum(m * c for m, c in zip(range(1, 6), dist, strict=True)) / total, 1)
                if total
                else None
            )
            entry["dist"] = dist
        else:
            by_text: dict[str, int] = {}
            for row in mine.itertuples() if len(mine) else []:
                by_text[row.text] = by_text.get(row.text, 0) + int(row.n)
            if question.kind == QuestionKind.CHOICE:
                entry["options"] = [
                    (label, by_text.get(value, 0)) for value, label in question.option_labels
                ]
            else:
                entry["comments"] = sorted(t for t, n in by_text.items() for _i in range(n) if t)
        summaries.append(entry)
    return summaries


def compute(responses: pd.DataFrame, *, min_group: int, filters: dict) -> dict:
    """Everything the page and the exports show, from the response rows (pure: tested with
    generated data). Filters apply after the release, on whole cells."""
    released, held_back = release(responses, min_group)
    shown = apply_filters(released, filters)
    hidden = 0
    if held_back:
        hidden = int(apply_filters(responses, filters)["n"].sum() - shown["n"].sum())
    return {
        "total": summarize(shown),
        "by": {name: breakdown(shown, name) for name in DIMENSIONS},
        "held_back": hidden,
        "released_cells": _cells(shown).drop_duplicates() if len(shown) else shown[CELL],
    }


# Loading from the database -------------------------------------------------------------


@dataclass
class Scope:
    survey: Survey
    manager_id: int | None  # None: the whole network
    today: date
    rounds: list[Round] = field(default_factory=list)


def visible_rounds(survey: Survey, today: date) -> list[Round]:
    """All rounds that have opened; for an anonymous survey only the closed ones."""
    rounds = Round.objects.filter(survey=survey, opens_on__lte=today)
    if survey.anonymous:
        rounds = rounds.filter(closes_on__lt=today)
    return list(rounds.order_by("opens_on"))


def load_responses(scope: Scope) -> pd.DataFrame:
    qs = Response.objects.filter(round__in=[r.pk for r in scope.rounds])
    if scope.manager_id is not None:
        qs = qs.filter(manager_id=scope.manager_id)
    rows = qs.values(*CELL, "nps").annotate(n=Count("pk")).order_by().values_list(*CELL, "nps", "n")
    return pd.DataFrame(list(rows), columns=RESPONSE_COLUMNS)


def load_answers(scope: Scope) -> pd.DataFrame:
    """One row per (cell, question, value) with its count: grouped in SQL, so a network's
    answers arrive as a few thousand rows, not one per answer."""
    qs = Answer.objects.filter(response__round__in=[r.pk for r in scope.rounds])
    if scope.manager_id is not None:
        qs = qs.filter(response__manager_id=scope.manager_id)
    columns = ["response__round_id", "response__region_id", "response__manager_id"]
    rows = (
        qs.values(*columns, "question_id", "number", "text")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(*columns, "question_id", "number", "text", "n")
    )
    return pd.DataFrame(list(rows), columns=ANSWER_COLUMNS)


def cached_answers(scope: Scope, responses: pd.DataFrame) -> pd.DataFrame:
    """`load_answers`, kept under the number of responses of each round in scope: answers are
    written only with their response, in its transaction, and never edited, so the counts
    (already loaded) change whenever the answers do. A write to another survey or round
    leaves the key alone, so the first request after it reads the cache, not 100,000 rows."""
    from portal import versions

    per_round = (
        sorted((int(k), int(v)) for k, v in responses.groupby("round_id")["n"].sum().items())
        if len(responses)
        else []
    )
    parts = ("survey-answers", scope.survey.pk, scope.manager_id, tuple(per_round))
    return versions.cached(parts, (), lambda: load_answers(scope))


def participation(scope: Scope) -> dict:
    """{round_id: people who took part} (not secret: who took part is stored by name)."""
    qs = Participation.objects.filter(round__in=[r.pk for r in scope.rounds])
    if scope.manager_id is not None:
        qs = qs.filter(unit__account_manager_id=scope.manager_id)
    return dict(qs.values("round_id").annotate(n=Count("pk")).values_list("round_id", "n"))


def invited(scope: Scope) -> int:
    """People the survey asks today (for a manager: those of the units in his portfolio)."""
    from .selectors import audience_memberships

    memberships = audience_memberships(scope.survey)
    if scope.manager_id is not None:
        memberships = memberships.filter(unit__account_manager_id=scope.manager_id)
    return memberships.values("user_id").distinct().count()


def names(frame: pd.DataFrame, rounds: list[Round]) -> dict:
    """Labels of the regions, managers and rounds met in the frame: two queries."""
    region_ids = set(frame["region_id"].dropna().astype(int)) if len(frame) else set()
    manager_ids = set(frame["manager_id"].dropna().astype(int)) if len(frame) else set()
    users = get_user_model().objects.filter(pk__in=manager_ids)
    return {
        "region": dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name")),
        "manager": {u.pk: u.get_full_name() or u.get_username() for u in users},
        "round": {r.pk: r.shown_label for r in rounds},
    }


def results(scope: Scope, *, filters: dict) -> dict:
    """The results page's figures: a fixed number of queries whatever the number of answers."""
    survey = scope.survey
    responses = load_responses(scope)
    data = compute(responses, min_group=survey.min_group, filters=filters)
    answers = cached_answers(scope, responses)
    labels = names(responses, scope.rounds)
    none = _("(none)")
    for dimension, rows in data["by"].items():
        for row in rows:
            row["label"] = labels[dimension].get(row["key"], none)
    took_part = participation(scope)
    for row in data["by"]["round"]:
        row["took_part"] = took_part.get(row["key"], 0)
    data["questions"] = question_summaries(
        survey.questions.all(), answers, data.pop("released_cells")
    )
    data["labels"] = labels
    data["took_part"] = sum(
        n for rid, n in took_part.items() if filters.get("round") in (None, rid)
    )
    data["invited"] = invited(scope)
    for row in data["by"]["round"]:
        row["rate"] = round(100 * row["took_part"] / data["invited"]) if data["invited"] else None
    return data
