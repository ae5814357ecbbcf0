"""Demo courses: brand onboarding, food safety, cash discipline, local marketing.

Each course has lessons (text, callouts), a lesson quiz and a final quiz; between them every
question type appears. The data file gives every text in English and Russian: the English goes
on the default-locale pages and quizzes, the Russian on their live translations, made as an
editor makes them ("Translate": a copy that keeps every question and option id).
Assignments go to every unit; progress is spread over the demo people with bulk inserts, so
`--units 5000` stays quick. A second run changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from wagtail.models import Locale

from franchise.models import Membership, Role
from portal.demo import DemoContext
from portal.demo_data import load
from portal.translations import default_locale_q, publish_translation

from .models import (
    Assignment,
    Certificate,
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
    Quiz,
)

#: The languages of the data file: the default language's pages and quizzes are the ones the
#: site runs on, the others become their translations.
DEFAULT_LANGUAGE, TRANSLATED = "en", ("ru",)

INDEX = {
    "title": {"en": "Learning", "ru": "Обучение"},
    "intro": {
        "en": "<p>Courses for your team: from the first shift to the till.</p>",
        "ru": "<p>Курсы для команды: от первой смены до кассы.</p>",
    },
}
FINAL_QUIZ = {"en": "{}: final quiz", "ru": "{}: итоговый тест"}
LESSON_QUIZ = {"en": "{}: check", "ru": "{}: проверка"}


def _in(language: str, value):
    """`value` of the data file in `language`: each {en: ..., ru: ...} replaced by one text."""
    if isinstance(value, dict):
        if set(value) == {DEFAULT_LANGUAGE, *TRANSLATED}:
            return value[language]
        return {k: _in(language, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_in(language, v) for v in value]
    return value


class _Ids:
    def __init__(self, rng):
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _opts(ids, *pairs):
    return [{"type": "item", "id": ids(), "value": {"text": t, "correct": c}} for t, c in pairs]


def _q(ids, kind, prompt, explanation="", points=1, **fields):
    value = {"prompt": prompt, "image": None, "points": points, "explanation": explanation}
    return {"type": kind, "id": ids(), "value": {**value, **fields}}


def _items(ids, values):
    return [{"type": "item", "id": ids(), "value": v} for v in values]


def _pairs(ids, pairs):
    return [{"type": "item", "id": ids(), "value": {"left": a, "right": b}} for a, b in pairs]


def _text(html):
    return {"type": "text", "value": html}


def _callout(kind, title, html):
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


#: Question fields given as lists in the data file, and how each becomes StreamField items.
_ITEM_LISTS = {
    "options": lambda ids, pairs: _opts(ids, *pairs),
    "pairs": _pairs,
    "items": _items,
    "accepted": _items,
}


def _question(ids, spec):
    spec = dict(spec)
    kind, prompt = spec.pop("type"), spec.pop("prompt")
    explanation, points = spec.pop("explanation", ""), spec.pop("points", 1)
    fields = {k: _ITEM_LISTS[k](ids, v) if k in _ITEM_LISTS else v for k, v in spec.items()}
    return _q(ids, kind, prompt, explanation, points, **fields)


def _block(spec):
    if "callout" in spec:
        return _callout(spec["callout"], spec["title"], spec["text"])
    return _text(spec["text"])


def _courses(ids, language: str = DEFAULT_LANGUAGE):
    """The courses of `demo_data/courses.yaml` in `language` with StreamField blocks (ids drawn
    in order: the same generator state gives every language the same ids)."""
    return [
        {
            **course,
            "lessons": [
                (
                    lesson["slug"],
                    lesson["title"],
                    [_block(b) for b in lesson["body"]],
                    [_question(ids, q) for q in lesson["quiz"]] if lesson["quiz"] else None,
                )
                for lesson in course["lessons"]
            ],
            "final": [_question(ids, q) for q in course["final_quiz"]],
        }
        for course in _in(language, load("learning", "courses"))
    ]


def _quiz(title, questions, **rules) -> Quiz:
    quiz = Quiz.objects.filter(default_locale_q(), title=title).first()
    if quiz is None:
        quiz = Quiz(title=title, questions=questions, **rules)
        quiz.save()
        quiz.save_revision().publish()
    return quiz


def seed(ctx: DemoContext) -> None:
    from portal.models import HomePage

    ids = _Ids(ctx.rng_for("learning"))
    home = HomePage.objects.filter(default_locale_q()).first()
    if home is None:
        return
    index = CourseIndexPage.objects.filter(default_locale_q()).first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(slug="learning", **_in(DEFAULT_LANGUAGE, INDEX))
        )
    plans = _courses(ids)
    courses = []
    for n, plan in enumerate(plans):
        course = CoursePage.objects.filter(default_locale_q(), slug=plan["slug"]).first()
        if course is None:
            final = _quiz(
                FINAL_QUIZ[DEFAULT_LANGUAGE].format(plan["title"]),
                plan["final"],
                pass_mark=70,
                attempts_allowed=3,
                attempt_delay_minutes=10,
                time_limit_minutes=20 if n == 1 else 0,
                shuffle_questions=True,
                shuffle_options=True,
                feedback=Quiz.Feedback.WRONG,
            )
            course = index.add_child(
                instance=CoursePage(
                    title=plan["title"],
                    slug=plan["slug"],
                    description=plan["description"],
                    estimated_minutes=plan["minutes"],
                    certificate_validity_months=plan["validity_months"],
                    ordered_lessons=True,
                    final_quiz=final,
                )
            )
            if plan["slug"] == "local-marketing":
                course.prerequisites.add(courses[0])
            course.save_revision().publish()
            for slug, title, body, questions in plan["lessons"]:
                quiz = (
                    _quiz(
                        LESSON_QUIZ[DEFAULT_LANGUAGE].format(title),
                        questions,
                        feedback=Quiz.Feedback.FULL,
                    )
                    if questions
                    else None
                )
                course.add_child(instance=LessonPage(title=title, slug=slug, body=body, quiz=quiz))
        courses.append(course)
    for language in TRANSLATED:
        _translate(ctx, language, index, courses)
    _progress(ctx, courses)


def _quiz_in(locale, quiz, **fields) -> None:
    """A live translation of `quiz` into `locale` with `fields`, unless it has one."""
    if quiz is None or quiz.has_translation(locale):
        return
    copy = quiz.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()


def _translate(ctx: DemoContext, language: str, index, courses: list[CoursePage]) -> None:
    """The index, courses, lessons and quizzes in `language`, as live translations."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return
    publish_translation(index, language, **_in(language, INDEX))
    plans = _courses(_Ids(ctx.rng_for("learning")), language)
    for course, plan in zip(courses, plans, strict=True):
        publish_translation(course, language, title=plan["title"], description=plan["description"])
        title = FINAL_QUIZ[language].format(plan["title"])
        _quiz_in(locale, course.final_quiz, title=title, questions=plan["final"])
        lessons = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(course)}
        for slug, title, body, questions in plan["lessons"]:
            lesson = lessons[slug]
            publish_translation(lesson, language, title=title, body=body)
            if questions:
                quiz_title = LESSON_QUIZ[language].format(title)
                _quiz_in(locale, lesson.quiz, title=quiz_title, questions=questions)


def _progress(ctx: DemoContext, courses: list[CoursePage]) -> None:
    """Assignments for every unit and a spread of finished lessons and certificates."""
    if Assignment.objects.filter(course__in=courses).exists():
        return
    rng = ctx.rng_for("learning-progress")
    onboarding, food, cash, marketing = courses
    units = ctx.unit_objects
    managers = {m.pk: m for m in ctx.people.get("managers", [])}
    today = ctx.today
    assignments = []
    for unit in units:
        by = managers.get(unit.account_manager_id)
        assignments += [
            Assignment(
                course=onboarding,
                unit=unit,
                due_on=today + timedelta(days=rng.randint(-20, 20)),
                created_by=by,
            ),
            Assignment(
                course=food,
                unit=unit,
                roles=Role.MEMBER,
                due_on=today + timedelta(days=rng.randint(-10, 30)),
                created_by=by,
            ),
        ]
        if rng.random() < 0.5:
            assignments.append(
                Assignment(
                    course=cash,
                    unit=unit,
                    due_on=today + timedelta(days=rng.randint(5, 60)),
                    created_by=by,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=2000)

    lessons = {
        c.pk: list(LessonPage.objects.child_of(c).order_by("path").values_list("pk", flat=True))
        for c in courses
    }
    people = list(
        Membership.objects.filter(unit__in=units, role__in=[Role.OWNER, Role.MEMBER]).values_list(
            "user_id", "unit_id", "user__full_name", "user__username"
        )
    )
    seen = set()
    done, certs = [], []
    for user_id, unit_id, name, username in people:
        if user_id in seen:
            continue
        seen.add(user_id)
        for course in (onboarding, food, cash, marketing):
            roll = rng.random()
            ids = lessons[course.pk]
            if username == "staff":
                # the demo staff member: onboarding done, food safety half-way
                count = len(ids) if course is onboarding else (1 if course is food else 0)
            elif roll < 0.35:
                count = len(ids)
            elif roll < 0.6:
                count = rng.randint(0, len(ids))
            else:
                count = 0
            for lesson_id in ids[:count]:
                done.append(
                    LessonCompletion(
                        user_id=user_id, lesson_id=lesson_id, course=course, unit_id=unit_id
                    )
                )
            if count == len(ids) and (roll < 0.3 or (username == "staff" and course is onboarding)):
                issued = today - timedelta(days=rng.randint(1, 400))
                months = course.certificate_validity_months
                certs.append(
                    Certificate(
                        user_id=user_id,
                        course=course,
                        unit_id=unit_id,
                        code=_code(rng),
                        learner_name=name or username,
                        course_title=course.title,
                        issued_on=issued,
                        expires_on=(issued + timedelta(days=30 * months)) if months else None,
                    )
                )
    LessonCompletion.objects.bulk_create(done, batch_size=5000, ignore_conflicts=True)
    Certificate.objects.bulk_create(certs, batch_size=5000, ignore_conflicts=True)
    ctx.log(
        f"learning: {len(courses)} courses, {len(assignments)} assignments, "
        f"{len(done)} lessons done, {len(certs)} certificates"
    )


def _code(rng) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(rng.choice(alphabet) for _i in range(4)) for _j in range(3))
