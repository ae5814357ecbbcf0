"""Writes of surveys: rounds, answers, reminders. Keyword-only, atomic."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from franchise.models import Franchisee
from reporting import periods as P

from . import selectors
from .models import Answer, Participation, QuestionKind, Reminder, Response, Round, Schedule, Survey

TEXT_MAX = 2000


def _quarter_label(day: date) -> str:
    return P.period_containing("quarterly", day).label


def round_for(survey: Survey, today: date) -> tuple[date, date, str] | None:
    """(opens_on, closes_on, label) of the round `today` falls in, or None (a one-off survey
    that has had its round)."""
    if survey.schedule == Schedule.QUARTERLY:
        start = P.period_containing("quarterly", today).start
        return start, start + timedelta(days=max(survey.open_days, 1) - 1), _quarter_label(start)
    if survey.rounds.exists():
        return None
    return today, today + timedelta(days=max(survey.open_days, 1) - 1), _quarter_label(today)


def rounds_open(*, today: date | None = None) -> int:
    """Create the current round of every active survey (idempotent: one per survey and start)."""
    today = today or timezone.localdate()
    created = 0
    for survey in Survey.objects.filter(is_active=True):
        planned = round_for(survey, today)
        if planned is None:
            continue
        opens_on, closes_on, label = planned
        _round, new = Round.objects.get_or_create(
            survey=survey, opens_on=opens_on, defaults={"closes_on": closes_on, "label": label}
        )
        created += int(new)
    return created


def clean_answers(survey: Survey, *, nps, answers: dict) -> tuple[int, list[tuple]]:
    """Check every value against its scale; all errors at once, keyed by the form's field names
    ("nps", "q-<key>"). Returns (nps, [(question, number, text)])."""
    errors: dict[str, str] = {}
    try:
        score = int(str(nps))
    except (TypeError, ValueError):
        score = None
    if score is None or not 0 <= score <= 10:
        errors["nps"] = _("Choose a whole number from 0 to 10.")
    rows = []
    for question in survey.questions.all():
        raw = answers.get(question.key)
        raw = "" if raw is None else str(raw).strip()
        name = f"q-{question.key}"
        if raw == "":
            if question.required:
                errors[name] = _("This question needs an answer.")
            continue
        if question.kind == QuestionKind.RATING:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[name] = _("Choose a rating from 1 to 5.")
                continue
            rows.append((question, int(raw), ""))
        elif question.kind == QuestionKind.CHOICE:
            if raw not in question.options:
                errors[name] = _("Choose one of the options shown.")
                continue
            rows.append((question, None, raw))
        else:
            if len(raw) > TEXT_MAX:
                errors[name] = _("Keep the answer under %(n)s characters.") % {"n": TEXT_MAX}
                continue
            rows.append((question, None, raw))
    if errors:
        raise ValidationError(errors)
    return score, rows


def response_submit(
    *, round_: Round, user, unit: Franchisee, nps, answers: dict, today: date | None = None
) -> None:
    """Record one person's answers for a unit: all or nothing.

    Refused with a clear message when the person is not in the survey's audience, the round is
    not open, the person has answered it already (also under a race: the unique participation
    decides) or a value is off its scale.
    """
    today = today or timezone.localdate()
    survey = round_.survey
    if not selectors.audience_memberships(survey).filter(user=user, unit=unit).exists():
        raise ValidationError(_("This survey is not meant for you."))
    if not round_.is_open(today):
        raise ValidationError(_("This survey is closed."))
    score, rows = clean_answers(survey, nps=nps, answers=answers)
    try:
        with transaction.atomic():
            Participation.objects.create(round=round_, user=user, unit=unit)
            response = Response.objects.create(
                round=round_,
                region_id=unit.region_id,
                manager_id=unit.account_manager_id,
                nps=score,
                respondent=None if survey.anonymous else user,
                unit=None if survey.anonymous else unit,
            )
            Answer.objects.bulk_create(
                [
                    Answer(response=response, question=q, number=number, text=text)
                    for q, number, text in rows
                ]
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None


def reminders_send(*, today: date | None = None) -> int:
    """Remind the people who have not answered an open round, once per person and round, from
    `remind_days` before it closes. Returns the number of people reminded."""
    today = today or timezone.localdate()
    sent = 0
    rounds = Round.objects.filter(
        survey__is_active=True, opens_on__lte=today, closes_on__gte=today
    ).select_related("survey")
    for round_ in rounds:
        if today >= round_.remind_on:
            sent += _remind(round_, today)
    return sent


@transaction.atomic
def _remind(round_: Round, today: date) -> int:
    """The round row is locked first, so two runs at once take turns and the second finds the
    first one's Reminder rows."""
    from franchise.notifications import Notice, notify_many

    Round.objects.select_for_update().filter(pk=round_.pk).first()
    done = Participation.objects.filter(round=round_).values("user_id")
    already = Reminder.objects.filter(round=round_).values("user_id")
    memberships = (
        selectors.audience_memberships(round_.survey)
        .exclude(user_id__in=done)
        .exclude(user_id__in=already)
        .select_related("user", "unit")
        .order_by("user_id", "unit__code")
    )
    first_unit: dict[int, object] = {}
    for membership in memberships:
        first_unit.setdefault(membership.user_id, membership)
    if not first_unit:
        return 0
    Reminder.objects.bulk_create(
        [Reminder(round=round_, user_id=uid, sent_on=today) for uid in first_unit],
        ignore_conflicts=True,
    )
    notices = []
    for membership in first_unit.values():
        user, unit = membership.user, membership.unit
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            names = {"name": round_.survey.name, "date": date_format(round_.closes_on)}
            notices.append(
                Notice(
                    recipients=[user],
                    title=_("Reminder: please answer the survey “%(name)s” by %(date)s") % names,
                    body=render_to_string(
                        "email/surveys_reminder.txt", {"round": round_, "unit": unit}
                    ).strip(),
                    url=reverse("surveys:answer", args=[unit.code, round_.pk]),
                    unit=unit,
                )
            )
    notify_many(kind="survey", notices=notices)
    return len(notices)
