"""Writes of the learning part: attempts, lessons done, certificates, assignments, reminders.

Attempts are the delicate part. Starting one locks the learner's user row (PostgreSQL) and
relies on two unique constraints (attempt number per page, one open attempt per page), so two
tabs or a replayed POST cannot get an extra attempt. Submitting locks the attempt row and
closes it with a conditional UPDATE, so only one submission ever counts, and nothing is
accepted after the deadline (plus a small grace for the network).
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from franchise import notifications
from franchise.models import Franchisee, Membership, Role
from portal import versions
from portal.translations import translations_of

from . import selectors
from .models import (
    Assignment,
    Attempt,
    Certificate,
    CoursePage,
    LessonCompletion,
    LessonPage,
    ReminderLog,
)
from .quiz import draw, grade_attempt, questions_of


class LearningRefused(Exception):
    """A learner may not do this now; the message says why (shown to them)."""


def _unit_id(unit) -> int | None:
    return unit.pk if unit else None


# Where a quiz lives ------------------------------------------------------------------------


def quiz_context(page) -> tuple[CoursePage, object]:
    """(course, quiz) for a lesson page with a quiz or a course page with a final quiz."""
    page = page.specific
    if isinstance(page, LessonPage) and page.quiz_id:
        return page.get_parent().specific, page.quiz
    if isinstance(page, CoursePage) and page.final_quiz_id:
        return page, page.final_quiz
    raise LearningRefused(_("This page has no quiz."))


def check_can_learn(user, course: CoursePage, lesson: LessonPage | None = None) -> None:
    """Prerequisites and the order of lessons, enforced for every write (not only in menus)."""
    missing = selectors.missing_prerequisites(user, course)
    if missing:
        titles = ", ".join(c.shown.title for c in missing)
        raise LearningRefused(_("Complete %(courses)s first.") % {"courses": titles})
    lessons = selectors.course_lessons(course)
    done = selectors.done_lesson_ids(user, course)
    if lesson is None:
        if any(x.pk not in done for x in lessons):
            raise LearningRefused(_("Finish every lesson before the final quiz."))
    elif not selectors.lesson_unlocked(course, lessons, done, lesson):
        raise LearningRefused(_("Finish the lessons before this one first."))


# Attempts ------------------------------------------------------------------------------


def _grace() -> timedelta:
    return timedelta(seconds=getattr(settings, "LEARNING_SUBMIT_GRACE_SECONDS", 30))


def _finish(attempt: Attempt, answers: dict, *, late: bool) -> Attempt:
    """Grade against the attempt's own revision and close it; only the first close counts."""
    quiz = attempt.revision.as_object()
    graded = grade_attempt(attempt.drawn, questions_of(quiz), answers)
    passed = graded["percent"] >= quiz.pass_mark
    now = timezone.now()
    closed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        answers=answers,
        submitted_at=now,
        late=late,
        score=graded["score"],
        max_score=graded["max_score"],
        percent=graded["percent"],
        passed=passed,
        results=graded["results"],
    )
    if closed != 1:
        raise LearningRefused(_("This attempt has already been submitted."))
    attempt.refresh_from_db()
    if passed:
        _on_quiz_passed(attempt)
    return attempt


def attempt_expire_if_due(attempt: Attempt) -> Attempt:
    """Close an open attempt whose time is up, with the answers saved before the deadline."""
    if attempt.is_open and attempt.deadline and timezone.now() > attempt.deadline + _grace():
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.is_open:
                try:
                    return _finish(locked, locked.answers, late=True)
                except LearningRefused:
                    pass
            return locked
    return attempt


@transaction.atomic
def attempt_start(*, user, page, unit=None) -> Attempt:
    """Resume the open attempt on `page`, or start a new one if the quiz rules allow it."""
    course, quiz = quiz_context(page)
    lesson = page.specific if isinstance(page.specific, LessonPage) else None
    check_can_learn(user, course, lesson)
    # Serialise this learner's starts (PostgreSQL); the unique constraints back it up elsewhere.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()

    existing = Attempt.objects.filter(user=user, page_id=page.pk).order_by("-number")
    current = existing.filter(submitted_at__isnull=True).first()
    if current is not None:
        current = attempt_expire_if_due(current)
        if current.is_open:
            return current
    if quiz.live_revision_id is None or not quiz.live:
        raise LearningRefused(_("This quiz is not published yet."))
    if lesson is None:
        # The final quiz: once per certification cycle, a fresh set of attempts near expiry.
        current_cert = selectors.current_certificate(user, course)
        in_cycle = existing
        if current_cert is not None:
            if not selectors.renewal_due(current_cert.expires_on):
                raise LearningRefused(_("You already hold a valid certificate for this course."))
            in_cycle = existing.filter(started_at__date__gt=current_cert.issued_on)
    else:
        # A course renewed through its lessons: the lesson quiz is taken again, afresh.
        since = selectors.cycle_start(user, course)
        if lesson.pk in selectors.done_lesson_ids(user, course, since=since):
            raise LearningRefused(_("You have already passed this lesson's quiz."))
        in_cycle = existing.filter(started_at__gte=since) if since else existing
    if quiz.attempts_allowed and in_cycle.count() >= quiz.attempts_allowed:
        raise LearningRefused(_("You have used all %(n)s attempts.") % {"n": quiz.attempts_allowed})
    last = existing.filter(submitted_at__isnull=False).first()
    if last and quiz.attempt_delay_minutes:
        ready = last.submitted_at + timedelta(minutes=quiz.attempt_delay_minutes)
        if timezone.now() < ready:
            raise LearningRefused(
                _("You can try again after %(time)s.")
                % {"time": timezone.localtime(ready).strftime("%H:%M")}
            )
    revision = quiz.live_revision
    snapshot = revision.as_object()
    rng = random.Random(secrets.randbits(64))  # noqa: S311 - shuffling, not secrets
    number = (existing.aggregate(m=Max("number"))["m"] or 0) + 1
    now = timezone.now()
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                unit_id=_unit_id(unit),
                page_id=page.pk,
                course=course,
                quiz=quiz,
                revision=revision,
                number=number,
                drawn=draw(questions_of(snapshot), snapshot, rng),
                started_at=now,
                deadline=(
                    now + timedelta(minutes=snapshot.time_limit_minutes)
                    if snapshot.time_limit_minutes
                    else None
                ),
            )
    except IntegrityError:
        # Another tab started one a moment ago: that one is the attempt.
        current = Attempt.objects.filter(
            user=user, page_id=page.pk, submitted_at__isnull=True
        ).first()
        if current is None:
            raise LearningRefused(_("Another attempt was just started; reload the page.")) from None
        return current


def attempt_for(user, attempt_id: int) -> Attempt:
    """The user's own attempt; anybody else's answers exactly like a missing one."""
    return Attempt.objects.select_related("revision", "quiz").get(pk=attempt_id, user=user)


TIME_UP = _lazy("Time is up: answers given after the deadline were not accepted.")


def _close_or_lock(attempt: Attempt) -> Attempt | None:
    """Lock the open attempt; if its time is up, close it with what was saved and return None.

    Must run inside a transaction. The refusal is raised by the caller after commit, so the
    closing is kept.
    """
    locked = Attempt.objects.select_for_update().select_related("revision").get(pk=attempt.pk)
    if not locked.is_open:
        raise LearningRefused(_("This attempt has already been submitted."))
    if locked.deadline and timezone.now() > locked.deadline + _grace():
        _finish(locked, locked.answers, late=True)
        return None
    return locked


def attempt_save(*, attempt: Attempt, answers: dict) -> Attempt:
    with transaction.atomic():
        locked = _close_or_lock(attempt)
        if locked is not None:
            Attempt.objects.filter(pk=locked.pk).update(answers=answers)
            locked.answers = answers
            return locked
    raise LearningRefused(str(TIME_UP))


def attempt_submit(*, attempt: Attempt, answers: dict) -> Attempt:
    with transaction.atomic():
        locked = _close_or_lock(attempt)
        if locked is not None:
            return _finish(locked, answers, late=False)
    raise LearningRefused(str(TIME_UP))


def _on_quiz_passed(attempt: Attempt) -> None:
    page = attempt.page.specific
    if isinstance(page, LessonPage):
        lesson_complete(user=attempt.user, lesson=page, unit=attempt.unit, checked=True)
    else:
        certificate_issue(
            user=attempt.user, course=attempt.course, unit=attempt.unit, attempt=attempt
        )


# Lessons and certificates --------------------------------------------------------------


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage, unit=None, checked: bool = False) -> bool:
    """Mark a lesson done. Lessons with a quiz are done only by passing it. True if new."""
    course = lesson.get_parent().specific
    if not checked:
        check_can_learn(user, course, lesson)
        if lesson.quiz_id:
            raise LearningRefused(_("Pass the lesson's quiz to complete it."))
    current = None if course.final_quiz_id else selectors.current_certificate(user, course)
    since = selectors.cycle_start_of(course, current)
    completion, created = LessonCompletion.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course": course, "unit_id": _unit_id(unit)}
    )
    if not created and since is not None and completion.completed_at < since:
        # Renewal: done before the last certificate, so done again now (first request wins).
        created = bool(
            LessonCompletion.objects.filter(pk=completion.pk, completed_at__lt=since).update(
                completed_at=timezone.now(), unit_id=_unit_id(unit)
            )
        )
    if created and not course.final_quiz_id:
        lessons = selectors.course_lessons(course)
        done = selectors.done_lesson_ids(user, course, since=since)
        if all(x.pk in done for x in lessons) and (
            current is None or selectors.renewal_due(current.expires_on)
        ):
            certificate_issue(user=user, course=course, unit=unit)
    return created


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def new_certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _i in range(4)) for _j in range(3))


@transaction.atomic
def certificate_issue(*, user, course: CoursePage, unit=None, attempt=None, on=None) -> Certificate:
    """The holder's certificate; declared a write of the holder's units (the network's
    figures recompute those units alone)."""
    on = on or selectors.today()
    months = course.certificate_validity_months
    units = Membership.objects.filter(user=user).values_list("unit_id", flat=True)
    with versions.units_written(units):
        return Certificate.objects.create(
            user=user,
            course=course,
            unit_id=_unit_id(unit),
            attempt=attempt,
            code=new_certificate_code(),
            learner_name=user.get_full_name(),
            course_title=course.title,
            issued_on=on,
            expires_on=_add_months(on, months) if months else None,
        )


def certificate_verify_url(certificate: Certificate) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "learning:verify", args=[certificate.code]
    )


# Assignments ---------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    by,
    course: CoursePage,
    due_on: date,
    units: list[Franchisee],
    roles: list[str] | None = None,
    user=None,
    kind: str = Assignment.Kind.REGULAR,
) -> list[Assignment]:
    """One row per unit; the people are resolved whenever the assignment is read."""
    if user is not None:
        member_units = set(
            Membership.objects.filter(user=user, unit__in=units).values_list("unit_id", flat=True)
        )
        units = [u for u in units if u.pk in member_units]
    return Assignment.objects.bulk_create(
        [
            Assignment(
                course=course,
                unit=unit,
                roles=",".join(sorted(roles or [])),
                user=user,
                due_on=due_on,
                kind=kind,
                created_by=by,
            )
            for unit in units
        ],
        batch_size=2000,
    )


# Reminders, digests, re-certification -------------------------------------------------------


def _claim(kind: str, user_id: int, key: str, day: date) -> bool:
    """Record that a message goes out; False if it already went today (idempotence)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, user_id=user_id, key=key, day=day)
    except IntegrityError:
        return False
    return True


def _page_url(page) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + (page.get_url() or "/")


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


class _Titles:
    """What each language's readers see of the courses of one run: their live translations,
    read once per language (not per recipient)."""

    def __init__(self, courses):
        self.courses = list(courses)
        self.by_language: dict[str, dict[int, CoursePage]] = {}

    def shown(self, course, language: str):
        if language not in self.by_language:
            with translation.override(language):
                self.by_language[language] = translations_of(self.courses, CoursePage)
        return self.by_language[language].get(course.pk, course)


def _send(user, template: str, context: dict, *, subject: str, url: str, unit_id=None) -> None:
    """An in-app notice; franchise.notifications e-mails it as the person prefers."""
    with translation.override(_language(user)):
        body = render_to_string(f"email/{template}.txt", {**context, "user": user, "url": url})
        unit = Franchisee.objects.filter(pk=unit_id).first() if unit_id else None
        notifications.notify(
            recipients=[user], kind="training", title=str(subject), body=body, url=url, unit=unit
        )


def reminders_send(*, day: date | None = None) -> dict:
    """Due-date reminders, the overdue digest and re-certification notices; once per day."""
    day = day or selectors.today()
    counts = {"recertify": recertification_schedule(day=day)}
    days_before = set(getattr(settings, "LEARNING_REMINDER_DAYS", [7, 1, 0]))
    targets = selectors.targets_frame()
    if targets.empty:
        return {**counts, "reminders": 0, "digests": 0}
    targets["days_left"] = [(d - day).days for d in targets["due_on"]]
    due = targets[(~targets["finished"]) & targets["days_left"].isin(days_before)]
    users = get_user_model().objects.in_bulk(
        set(due["user_id"]) | set(targets.loc[targets["overdue"], "user_id"])
    )
    courses = CoursePage.objects.in_bulk(set(targets["course_id"]))
    titles = _Titles(courses.values())
    sent = 0
    for row in due.drop_duplicates(["user_id", "course_id"]).itertuples(index=False):
        if not _claim("due", row.user_id, f"course:{row.course_id}", day):
            continue
        user, course = users[row.user_id], courses[row.course_id]
        shown = titles.shown(course, _language(user))
        with translation.override(_language(user)):
            subject = (
                _("Due today: %(course)s") if row.days_left == 0 else _("Due soon: %(course)s")
            ) % {"course": shown.title}
        _send(
            user,
            "learning_reminder",
            {"course": shown, "due_on": row.due_on, "days_left": row.days_left},
            subject=subject,
            url=_page_url(course),
            unit_id=row.unit_id,
        )
        sent += 1
    counts["reminders"] = sent
    counts["digests"] = _digests(targets, users, courses, titles, day)
    return counts


def _digests(targets, users, courses, titles: _Titles, day: date) -> int:
    overdue = targets[targets["overdue"]]
    if overdue.empty:
        return 0
    unit_ids = overdue["unit_id"].unique().tolist()
    units = Franchisee.objects.in_bulk(unit_ids)
    owners = Membership.objects.filter(unit_id__in=unit_ids, role=Role.OWNER).values_list(
        "unit_id", "user_id"
    )
    recipients: dict[int, set[int]] = {}
    for unit_id, user_id in owners:
        recipients.setdefault(user_id, set()).add(unit_id)
    for unit in units.values():
        if unit.account_manager_id:
            recipients.setdefault(unit.account_manager_id, set()).add(unit.pk)
    people = get_user_model().objects.in_bulk(list(recipients))
    base = settings.PORTAL_BASE_URL.rstrip("/")
    sent = 0
    for recipient_id, their_units in recipients.items():
        if not _claim("digest", recipient_id, "overdue", day):
            continue
        rows = overdue[overdue["unit_id"].isin(their_units)].sort_values(["unit_id", "due_on"])
        recipient = people[recipient_id]
        lines = [
            {
                "unit": units[r.unit_id],
                "person": users[r.user_id],
                "course": titles.shown(courses[r.course_id], _language(recipient)),
                "due_on": r.due_on,
            }
            for r in rows.itertuples(index=False)
        ]
        with translation.override(_language(recipient)):
            subject = _("Overdue training: %(n)s") % {"n": len(lines)}
        _send(
            recipient,
            "learning_digest",
            {"lines": lines},
            subject=subject,
            url=base + reverse("learning:matrix"),
            unit_id=next(iter(their_units)) if len(their_units) == 1 else None,
        )
        sent += 1
    return sent


def recertification_schedule(*, day: date) -> int:
    """Certificates expiring within the notice period: re-assign the course (due on expiry)
    to the holder's unit and tell them. Idempotent: one re-certification assignment per
    certificate, whatever the number of runs."""
    notice = getattr(settings, "LEARNING_RECERTIFY_NOTICE_DAYS", 30)
    expiring = list(
        Certificate.objects.filter(
            expires_on__isnull=False, expires_on__lte=day + timedelta(days=notice)
        ).select_related("course", "user")
    )
    if not expiring:
        return 0
    newest = {}
    for user_id, course_id, issued in Certificate.objects.filter(
        user_id__in={c.user_id for c in expiring}, course_id__in={c.course_id for c in expiring}
    ).values_list("user_id", "course_id", "issued_on"):
        key = (user_id, course_id)
        newest[key] = max(newest.get(key, issued), issued)
    memberships = dict(
        Membership.objects.filter(
            user_id__in={c.user_id for c in expiring}, role__in=selectors.LEARNER_ROLES
        )
        .order_by("-created_at")
        .values_list("user_id", "unit_id")
    )
    existing = set(
        Assignment.objects.filter(
            kind=Assignment.Kind.RECERTIFY, user_id__in={c.user_id for c in expiring}
        ).values_list("user_id", "course_id", "due_on")
    )
    created = 0
    titles = _Titles({c.course_id: c.course for c in expiring}.values())
    for cert in expiring:
        if newest[(cert.user_id, cert.course_id)] != cert.issued_on:
            continue  # already re-certified
        unit_id = cert.unit_id or memberships.get(cert.user_id)
        if unit_id is None or (cert.user_id, cert.course_id, cert.expires_on) in existing:
            continue
        Assignment.objects.create(
            course=cert.course,
            unit_id=unit_id,
            user=cert.user,
            due_on=cert.expires_on,
            kind=Assignment.Kind.RECERTIFY,
        )
        existing.add((cert.user_id, cert.course_id, cert.expires_on))
        created += 1
        if _claim("expiry", cert.user_id, f"cert:{cert.pk}", day):
            with translation.override(_language(cert.user)):
                subject = _("Your certificate expires on %(day)s") % {
                    "day": cert.expires_on.isoformat()
                }
            _send(
                cert.user,
                "learning_expiry",
                {
                    "certificate": cert,
                    "course": titles.shown(cert.course, _language(cert.user)),
                },
                subject=subject,
                url=_page_url(cert.course),
                unit_id=unit_id,
            )
    return created
