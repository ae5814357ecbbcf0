"""Surveys for tests: one with a rating, a choice and a comment question."""

from __future__ import annotations

from datetime import date

from surveys.models import Question, QuestionKind, Round, Survey

OPENS = date(2026, 10, 1)
INSIDE = date(2026, 10, 5)


def make_survey(*, slug="pulse", anonymous=True, **kwargs) -> Survey:
    survey = Survey.objects.create(name="Pulse", slug=slug, anonymous=anonymous, **kwargs)
    Question.objects.create(
        survey=survey, key="support", text="Support", kind=QuestionKind.RATING, sort_order=1
    )
    Question.objects.create(
        survey=survey,
        key="channel",
        text="Channel",
        kind=QuestionKind.CHOICE,
        choices="Portal\nPhone",
        sort_order=2,
    )
    Question.objects.create(
        survey=survey, key="comment", text="Comment", kind=QuestionKind.TEXT, sort_order=3
    )
    return survey


def make_round(survey, opens=OPENS, days=21) -> Round:
    from datetime import timedelta

    return Round.objects.create(
        survey=survey, label="Q4 2026", opens_on=opens, closes_on=opens + timedelta(days=days - 1)
    )
