"""Reads of the learning part. Lists run a fixed number of queries; counts go through pandas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from franchise import access
from franchise.models import Franchisee, Membership, Role
from portal.translations import default_locale_q, translations_of, with_shown

from .models import Assignment, Attempt, Certificate, CoursePage, LessonCompletion, LessonPage

LEARNER_ROLES = (Role.OWNER, Role.MEMBER)


def today():
    return timezone.localdate()


# Course structure --------------------------------------------------------------------


def courses_visible_to(user):
    return (
        CoursePage.objects.live()
        .filter(default_locale_q(), access.audience_q(user, CoursePage))
        .order_by("path")
        .select_related("final_quiz")
    )


def _lesson_counts(course_ids) -> dict[int, int]:
    """{course id: live lessons} from two queries over paths (lessons are direct children)."""
    paths = dict(CoursePage.objects.filter(pk__in=list(course_ids)).values_list("path", "pk"))
    counts: dict[int, int] = dict.fromkeys(paths.values(), 0)
    if not paths:
        return counts
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    for path in LessonPage.objects.live().filter(q).values_list("path", flat=True):
        course = paths.get(path[:-4])
        if course is not None:
            counts[course] += 1
    return counts


def course_lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


def has_passed_before(user, course_ids) -> set[int]:
    """Courses (of `course_ids`) the user has ever been certified in."""
    return set(
        Certificate.objects.filter(user=user, course_id__in=list(course_ids)).values_list(
            "course_id", flat=True
        )
    )


def missing_prerequisites(user, course: CoursePage) -> list[CoursePage]:
    required = list(course.prerequisites.all())
    done = has_passed_before(user, [c.pk for c in required])
    return with_shown([c for c in required if c.pk not in done], CoursePage)


def done_lesson_ids(user, course: CoursePage, *, since: datetime | None = None) -> set[int]:
    """Lessons done in the current certification cycle (see `cycle_start`)."""
    if since is None:
        since = cycle_start(user, course)
    completions = LessonCompletion.objects.filter(user=user, course=course)
    if since is not None:
        completions = completions.filter(completed_at__gte=since)
    return set(completions.values_list("lesson_id", flat=True))


def lesson_unlocked(course: CoursePage, lessons: list, done: set[int], lesson) -> bool:
    if not course.ordered_lessons:
        return True
    for earlier in lessons:
        if earlier.pk == lesson.pk:
            return True
        if earlier.pk not in done:
            return False
    return False


def current_certificate(user, course) -> Certificate | None:
    return (
        Certificate.objects.filter(user=user, course=course).order_by("-issued_on", "-id").first()
    )


def _shown_title(certificate: Certificate, shown: CoursePage | None) -> str:
    """The course title a certificate shows: the title it was issued with, or the course's
    live translation's title when the reader's language has one (`shown`)."""
    if shown is None or shown.pk == certificate.course_id:
        return certificate.course_title
    return shown.title


def certificate_title(certificate: Certificate) -> str:
    """`_shown_title` of one certificate (with its course selected): no query in English."""
    found = translations_of([certificate.course], CoursePage)
    return _shown_title(certificate, found.get(certificate.course_id))


# Re-certification ----------------------------------------------------------------------


def renewal_due(expires_on: date | None, day: date | None = None) -> bool:
    """A certificate expiring within the notice period (or expired) is due for renewal."""
    if expires_on is None:
        return False
    notice = getattr(settings, "LEARNING_RECERTIFY_NOTICE_DAYS", 30)
    return expires_on <= (day or today()) + timedelta(days=notice)


def _renewal_start(final_quiz_id, issued_on: date, expires_on: date | None) -> datetime | None:
    """Where lesson work starts counting again for a course renewed through its lessons.

    Courses with a final quiz renew through the quiz: every lesson done stays done. A course
    without one renews by taking its lessons again, so once its newest certificate is due for
    renewal, only lessons completed after the day it was issued count.
    """
    if final_quiz_id or not renewal_due(expires_on):
        return None
    return timezone.make_aware(datetime.combine(issued_on + timedelta(days=1), time.min))


def cycle_start_of(course: CoursePage, certificate: Certificate | None) -> datetime | None:
    """When the current certification cycle began, given the newest certificate (None: ever)."""
    if certificate is None:
        return None
    return _renewal_start(course.final_quiz_id, certificate.issued_on, certificate.expires_on)


def cycle_start(user, course: CoursePage) -> datetime | None:
    """`cycle_start_of` the learner's newest certificate; no query for final-quiz courses."""
    if course.final_quiz_id:
        return None
    return cycle_start_of(course, current_certificate(user, course))


def _renewal_starts(cert_rows, finals: dict) -> dict:
    """{(user id, course id): cycle start} from (user, course, issued_on, expires_on) rows."""
    newest: dict = {}
    for user_id, course_id, issued_on, expires_on in cert_rows:
        key = (user_id, course_id)
        if key not in newest or issued_on >= newest[key][0]:
            newest[key] = (issued_on, expires_on)
    starts = {}
    for (user_id, course_id), (issued_on, expires_on) in newest.items():
        start = _renewal_start(finals.get(course_id), issued_on, expires_on)
        if start is not None:
            starts[(user_id, course_id)] = start
    return starts


def recent_attempts(user, page, quiz_id, count: int = 5) -> list[Attempt]:
    """The user's last attempts at the quiz of `page` (none when the page has no quiz)."""
    if not quiz_id:
        return []
    return list(Attempt.objects.filter(user=user, page=page.page_ptr).order_by("-number")[:count])


def course_state(user, course: CoursePage) -> dict:
    """Context of the course page: lessons with done/locked flags, progress, certificate;
    `shown`: the course as the reader sees it (its live translation in their language)."""
    lessons = with_shown(course_lessons(course), LessonPage)
    certificate = current_certificate(user, course)
    done = done_lesson_ids(user, course, since=cycle_start_of(course, certificate))
    valid = certificate is not None and certificate.is_valid_on(today())
    renewal = certificate is not None and renewal_due(certificate.expires_on)
    rows = [
        {
            "lesson": lesson,
            "done": lesson.pk in done,
            "locked": not lesson_unlocked(course, lessons, done, lesson),
        }
        for lesson in lessons
    ]
    steps = len(lessons) + (1 if course.final_quiz_id else 0)
    finished = sum(1 for r in rows if r["done"]) + (1 if valid and course.final_quiz_id else 0)
    percent = 100 if valid else (round(100 * finished / steps) if steps else 0)
    all_done = all(r["done"] for r in rows)
    attempts = recent_attempts(user, course, course.final_quiz_id)
    return {
        "shown": with_shown([course], CoursePage)[0].shown,
        "lesson_rows": rows,
        "percent": percent,
        "certificate": certificate,
        "certificate_valid": valid,
        "missing_prerequisites": missing_prerequisites(user, course),
        "final_quiz_unlocked": all_done,
        "final_attempts": attempts,
        "renewal": renewal,
        "renewal_lessons": (
            [r["lesson"] for r in rows if not r["done"]]
            if renewal and not course.final_quiz_id
            else []
        ),
    }


def lesson_state(user, lesson: LessonPage) -> dict:
    """Context of the lesson page; `shown`: the lesson as the reader sees it."""
    course = with_shown([lesson.get_parent().specific], CoursePage)[0]
    lessons = with_shown(course_lessons(course), LessonPage)
    done = done_lesson_ids(user, course)
    position = next((i for i, x in enumerate(lessons) if x.pk == lesson.pk), 0)
    attempts = recent_attempts(user, lesson, lesson.quiz_id)
    return {
        "shown": next((x.shown for x in lessons if x.pk == lesson.pk), lesson),
        "course": course,
        "done": lesson.pk in done,
        "previous_lesson": lessons[position - 1] if position > 0 else None,
        "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if a.is_open), None),
    }


# Progress of many people at once --------------------------------------------------------


def progress_frame(user_ids, course_ids) -> pd.DataFrame:
    """One row per (user, course) pair with any activity: percent and certificate validity.

    Four queries whatever the number of people and courses.
    """
    course_ids = list(course_ids)
    lessons = _lesson_counts(course_ids)
    finals = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "final_quiz_id"))
    cert_rows = list(
        Certificate.objects.filter(user_id__in=user_ids, course_id__in=course_ids).values_list(
            "user_id", "course_id", "issued_on", "expires_on"
        )
    )
    starts = _renewal_starts(cert_rows, finals)
    done = pd.DataFrame(
        [
            (user_id, course_id)
            for user_id, course_id, at in LessonCompletion.objects.filter(
                user_id__in=user_ids, course_id__in=course_ids
            ).values_list("user_id", "course_id", "completed_at")
            if (user_id, course_id) not in starts or at >= starts[(user_id, course_id)]
        ],
        columns=["user_id", "course_id"],
    )
    certs = pd.DataFrame(
        [(user_id, course_id, expires_on) for user_id, course_id, _on, expires_on in cert_rows],
        columns=["user_id", "course_id", "expires_on"],
    )
    counts = done.groupby(["user_id", "course_id"]).size().rename("lessons_done").reset_index()
    day = today()
    if len(certs):
        certs["valid"] = certs["expires_on"].map(lambda d: d is None or pd.isna(d) or d > day)
        certs = certs.groupby(["user_id", "course_id"])["valid"].any().reset_index()
    else:
        certs = pd.DataFrame(columns=["user_id", "course_id", "valid"])
    frame = counts.merge(certs, on=["user_id", "course_id"], how="outer")
    frame["lessons_done"] = frame["lessons_done"].fillna(0).astype(int)
    frame["valid"] = frame["valid"].fillna(False).astype(bool)
    steps = frame["course_id"].map(lambda c: lessons.get(c, 0) + (1 if finals.get(c) else 0))
    pct = (100 * frame["lessons_done"] / steps.where(steps > 0, 1)).clip(upper=99).round()
    frame["percent"] = pct.where(~frame["valid"], 100).astype(int)
    return frame


def _percent_lookup(frame: pd.DataFrame) -> dict:
    return {(u, c): p for u, c, p in frame[["user_id", "course_id", "percent"]].itertuples(False)}


def catalogue_for(user) -> list[dict]:
    courses = with_shown(courses_visible_to(user), CoursePage)
    percent = _percents_of(user, [c.pk for c in courses])
    return [{"course": c, "percent": percent.get(c.pk, 0)} for c in courses]


# Assignments resolved to people -----------------------------------------------------------

TARGET_COLUMNS = ["unit_id", "course_id", "user_id", "due_on", "kind"]


def _assignments_and_learners(units=None, user=None):
    """(assignments, learner memberships) of some units and/or of one learner's units."""
    assignments = Assignment.objects.all()
    members = Membership.objects.filter(role__in=LEARNER_ROLES)
    if units is not None:
        assignments = assignments.filter(unit__in=units)
        members = members.filter(unit__in=units)
    if user is not None:
        members = members.filter(user=user)
        assignments = assignments.filter(unit__in=members.values("unit_id"))
    return assignments, members


def targets_frame(units=None, user=None) -> pd.DataFrame:
    """Who must take which course by when: assignments joined with the units' memberships.

    One row per (unit, user, course) with the earliest due date and whether the course is
    finished for that date (a certificate valid beyond it). Three queries.
    """
    assignments, members = _assignments_and_learners(units, user)
    a = pd.DataFrame(
        list(assignments.values_list("unit_id", "course_id", "roles", "user_id", "due_on", "kind")),
        columns=["unit_id", "course_id", "roles", "target_user", "due_on", "kind"],
    )
    m = pd.DataFrame(
        list(members.values_list("unit_id", "user_id", "role")),
        columns=["unit_id", "user_id", "role"],
    )
    if a.empty or m.empty:
        return pd.DataFrame(columns=[*TARGET_COLUMNS, "finished", "overdue"])
    t = a.merge(m, on="unit_id")
    role_ok = [
        not roles or role in roles.split(",")
        for roles, role in zip(t["roles"], t["role"], strict=True)
    ]
    person_ok = t["target_user"].isna() | (t["target_user"] == t["user_id"])
    t = t[pd.Series(role_ok, index=t.index) & person_ok]
    if t.empty:
        return pd.DataFrame(columns=[*TARGET_COLUMNS, "finished", "overdue"])
    t = (
        t.sort_values("due_on")
        .groupby(["unit_id", "user_id", "course_id"], as_index=False)
        .agg(due_on=("due_on", "first"), kind=("kind", "first"))
    )
    certs = pd.DataFrame(
        list(
            Certificate.objects.filter(
                user_id__in=t["user_id"].unique().tolist(),
                course_id__in=t["course_id"].unique().tolist(),
            ).values_list("user_id", "course_id", "expires_on")
        ),
        columns=["user_id", "course_id", "expires_on"],
    )
    t["finished"] = False
    if not certs.empty:
        joined = t.reset_index().merge(certs, on=["user_id", "course_id"])
        ok = [
            e is None or pd.isna(e) or e > d
            for e, d in zip(joined["expires_on"], joined["due_on"], strict=True)
        ]
        good = set(joined.loc[ok, "index"])
        t["finished"] = t.index.isin(good)
    t["overdue"] = (~t["finished"]) & (t["due_on"] < today())
    return t


def target_rows(units=None, user=None) -> list[dict]:
    """`targets_frame` for a handful of rows (one learner, one unit) in plain Python.

    Same rows and rules as `targets_frame` (same three queries at most), without the cost of
    building pandas frames on every request; pandas stays for network-wide figures.
    """
    assignments, members = _assignments_and_learners(units, user)
    a = list(assignments.values_list("unit_id", "course_id", "roles", "user_id", "due_on", "kind"))
    if not a:
        return []
    by_unit: dict = {}
    for unit_id, user_id, role in members.values_list("unit_id", "user_id", "role"):
        by_unit.setdefault(unit_id, []).append((user_id, role))
    if not by_unit:
        return []
    best: dict = {}
    for unit_id, course_id, roles, target_user, due_on, kind in sorted(a, key=lambda r: r[4]):
        allowed = roles.split(",") if roles else None
        for user_id, role in by_unit.get(unit_id, ()):
            if allowed is not None and role not in allowed:
                continue
            if target_user is not None and target_user != user_id:
                continue
            best.setdefault((unit_id, user_id, course_id), (due_on, kind))
    if not best:
        return []
    valid_until: dict = {}
    for user_id, course_id, expires_on in Certificate.objects.filter(
        user_id__in={k[1] for k in best}, course_id__in={k[2] for k in best}
    ).values_list("user_id", "course_id", "expires_on"):
        valid_until.setdefault((user_id, course_id), []).append(expires_on)
    day = today()
    rows = []
    for (unit_id, user_id, course_id), (due_on, kind) in best.items():
        finished = any(e is None or e > due_on for e in valid_until.get((user_id, course_id), ()))
        rows.append(
            {
                "unit_id": unit_id,
                "course_id": course_id,
                "user_id": user_id,
                "due_on": due_on,
                "kind": kind,
                "finished": finished,
                "overdue": not finished and due_on < day,
            }
        )
    return rows


def _percents_of(user, course_ids) -> dict[int, int]:
    """{course id: percent} of one learner (as `progress_frame`), in plain Python."""
    course_ids = list(course_ids)
    if not course_ids:
        return {}
    lessons = _lesson_counts(course_ids)
    finals = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "final_quiz_id"))
    cert_rows = list(
        Certificate.objects.filter(user_id=user.pk, course_id__in=course_ids).values_list(
            "user_id", "course_id", "issued_on", "expires_on"
        )
    )
    starts = {c: at for (_u, c), at in _renewal_starts(cert_rows, finals).items()}
    done: dict[int, int] = {}
    for course_id, at in LessonCompletion.objects.filter(
        user_id=user.pk, course_id__in=course_ids
    ).values_list("course_id", "completed_at"):
        if course_id not in starts or at >= starts[course_id]:
            done[course_id] = done.get(course_id, 0) + 1
    day = today()
    valid: dict[int, bool] = {}
    for _u, course_id, _issued, expires_on in cert_rows:
        valid[course_id] = valid.get(course_id, False) or expires_on is None or expires_on > day
    result = {}
    for course_id in set(done) | set(valid):
        if valid.get(course_id):
            result[course_id] = 100
            continue
        steps = lessons.get(course_id, 0) + (1 if finals.get(course_id) else 0)
        result[course_id] = int(round(min(100 * done.get(course_id, 0) / (steps or 1), 99)))
    return result


def my_learning(user) -> dict:
    """Assigned, in progress, completed and overdue courses of one learner; fixed queries."""
    due = {}
    for row in target_rows(user=user):
        course_id = row["course_id"]
        if course_id not in due:
            due[course_id] = (row["due_on"], row["finished"], row["overdue"], row["kind"])
        else:
            first_due, finished, overdue, kind = due[course_id]
            if row["due_on"] < first_due:
                first_due, kind = row["due_on"], row["kind"]
            due[course_id] = (
                first_due,
                finished and row["finished"],
                overdue or row["overdue"],
                kind,
            )
    started = set(
        LessonCompletion.objects.filter(user=user).values_list("course_id", flat=True)
    ) | set(Attempt.objects.filter(user=user).values_list("course_id", flat=True))
    certificates = list(
        Certificate.objects.filter(user=user).select_related("course").order_by("-issued_on")
    )
    course_ids = set(due) | started | {c.course_id for c in certificates}
    courses = {
        c.pk: c
        for c in with_shown(
            CoursePage.objects.live()
            .filter(default_locale_q(), pk__in=course_ids)
            .order_by("path"),
            CoursePage,
        )
    }
    for certificate in certificates:
        course = courses.get(certificate.course_id)
        certificate.shown_title = _shown_title(certificate, course.shown if course else None)
    mine = _percents_of(user, list(courses))
    percent = {(user.pk, pk): p for pk, p in mine.items()}
    day = today()
    valid_courses = {c.course_id for c in certificates if c.is_valid_on(day)}
    sections = {"overdue": [], "assigned": [], "in_progress": [], "completed": []}
    for pk, course in courses.items():
        row = {"course": course, "percent": percent.get((user.pk, pk), 0)}
        if pk in due:
            row["due_on"], finished, overdue, row["kind"] = due[pk]
            if finished:
                sections["completed"].append(row)
            elif overdue:
                sections["overdue"].append(row)
            elif row["percent"] > 0:
                sections["in_progress"].append(row)
            else:
                sections["assigned"].append(row)
        elif pk in valid_courses:
            sections["completed"].append(row)
        else:
            sections["in_progress"].append(row)
    sections["certificates"] = certificates
    sections["today"] = day
    return sections


# Manager view ---------------------------------------------------------------------------


def units_overseen(user):
    return access.units_overseeing_training(user)


@dataclass
class Matrix:
    units: list
    courses: list
    cells: dict  # (unit id, course id) -> {"assigned", "done", "overdue"}
    totals: dict  # unit id -> {"assigned", "done", "overdue"}


def matrix(units: list[Franchisee]) -> Matrix:
    """Units × assigned courses with completion and overdue counts; fixed queries."""
    t = targets_frame(units=[u.pk for u in units])
    cells: dict = {}
    totals: dict = {}
    course_ids: list = []
    if not t.empty:
        g = t.groupby(["unit_id", "course_id"]).agg(
            assigned=("user_id", "size"), done=("finished", "sum"), overdue=("overdue", "sum")
        )
        for (unit_id, course_id), row in g.iterrows():
            cells[(unit_id, course_id)] = {k: int(row[k]) for k in ("assigned", "done", "overdue")}
        for unit_id, row in g.groupby(level=0).sum().iterrows():
            totals[unit_id] = {k: int(row[k]) for k in ("assigned", "done", "overdue")}
        course_ids = t["course_id"].unique().tolist()
    courses = with_shown(CoursePage.objects.filter(pk__in=course_ids).order_by("path"), CoursePage)
    return Matrix(units=units, courses=courses, cells=cells, totals=totals)


def unit_people(unit: Franchisee) -> dict:
    """Drill-down: the unit's people by assigned courses, with status and progress."""
    t = targets_frame(units=[unit.pk])
    members = list(
        Membership.objects.filter(unit=unit, role__in=LEARNER_ROLES)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    course_ids = t["course_id"].unique().tolist() if not t.empty else []
    courses = with_shown(CoursePage.objects.filter(pk__in=course_ids).order_by("path"), CoursePage)
    percent = _percent_lookup(progress_frame([m.user_id for m in members], course_ids))
    status = {}
    for row in t.itertuples(index=False):
        status[(row.user_id, row.course_id)] = {
            "due_on": row.due_on,
            "state": "done" if row.finished else ("overdue" if row.overdue else "open"),
            "percent": percent.get((row.user_id, row.course_id), 0),
        }
    return {"members": members, "courses": courses, "status": status}


def unit_training_summary(unit_id: int) -> dict:
    rows = target_rows(units=[unit_id])
    return {
        "assigned": len(rows),
        "done": sum(1 for r in rows if r["finished"]),
        "overdue": sum(1 for r in rows if r["overdue"]),
        "people_overdue": len({r["user_id"] for r in rows if r["overdue"]}),
    }


def unit_statuses(units_qs) -> dict:
    """Traffic lights: red when someone is overdue, amber when something falls due this week."""
    from django.utils.translation import gettext, ngettext

    from portal.dashboard import AMBER, RED

    t = targets_frame(units=units_qs)
    result = {}
    if t.empty:
        return result
    soon = today() + timedelta(days=7)
    for unit_id, group in t.groupby("unit_id"):
        overdue = int(group["overdue"].sum())
        if overdue:
            result[unit_id] = (
                RED,
                ngettext("%(n)s course overdue", "%(n)s courses overdue", overdue) % {"n": overdue},
            )
        elif ((~group["finished"]) & (group["due_on"] <= soon)).any():
            result[unit_id] = (AMBER, gettext("Training due this week"))
    return result
