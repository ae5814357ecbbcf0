"""A small catalogue: one course with two lessons (the second with a quiz of every question
type) and a final quiz, under the site's home page."""

from types import SimpleNamespace

import pytest
from wagtail.models import Page

from learning.models import CourseIndexPage, CoursePage, LessonPage, Quiz


def opt(oid, text, correct=False):
    return {"type": "item", "id": oid, "value": {"text": text, "correct": correct}}


def q(qid, kind, prompt, points=1, explanation="", **fields):
    return {
        "type": kind,
        "id": qid,
        "value": {
            "prompt": prompt,
            "image": None,
            "points": points,
            "explanation": explanation,
            **fields,
        },
    }


def every_type():
    """Seven questions, one of each type, with ids the tests can refer to."""
    return [
        q(
            "q-single",
            "single",
            "Где хранится сырое мясо?",
            options=[opt("s-a", "На нижней полке", True), opt("s-b", "На верхней полке")],
        ),
        q(
            "q-multi",
            "multiple",
            "What must a food handler wear?",
            points=2,
            partial_credit=True,
            options=[
                opt("m-a", "Hairnet", True),
                opt("m-b", "Clean apron", True),
                opt("m-c", "Rings"),
                opt("m-d", "Gloves for ready food", True),
            ],
        ),
        q(
            "q-tf",
            "true_false",
            "Chilled food is kept at 0–5 °C.",
            correct=True,
            explanation="The cold chain keeps bacteria from growing.",
        ),
        q(
            "q-num",
            "numeric",
            "Core temperature for cooked chicken, °C?",
            answer=75.0,
            tolerance=2.0,
            unit="°C",
        ),
        q(
            "q-text",
            "short_text",
            "Name the method: first in, first out.",
            accepted=[
                {"type": "item", "id": "t1", "value": "FIFO"},
                {"type": "item", "id": "t2", "value": "ФИФО"},
            ],
            case_sensitive=False,
        ),
        q(
            "q-match",
            "matching",
            "Match the board colour to the food.",
            points=3,
            partial_credit=True,
            pairs=[
                {"type": "item", "id": "p-red", "value": {"left": "Red", "right": "Raw meat"}},
                {"type": "item", "id": "p-blue", "value": {"left": "Blue", "right": "Raw fish"}},
                {
                    "type": "item",
                    "id": "p-green",
                    "value": {"left": "Green", "right": "Salad and fruit"},
                },
            ],
        ),
        q(
            "q-order",
            "ordering",
            "Order the hand-washing steps.",
            points=3,
            partial_credit=True,
            items=[
                {"type": "item", "id": "o-1", "value": "Wet hands"},
                {"type": "item", "id": "o-2", "value": "Apply soap"},
                {"type": "item", "id": "o-3", "value": "Rub for 20 seconds"},
                {"type": "item", "id": "o-4", "value": "Rinse and dry"},
            ],
        ),
    ]


def make_quiz(title="Food safety check", questions=None, **rules):
    quiz = Quiz(title=title, questions=questions or every_type(), **rules)
    quiz.save()
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


def republish(quiz, **changes):
    for k, v in changes.items():
        setattr(quiz, k, v)
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


def _home():
    """The site's home page; rebuilt when a transactional test has flushed the database."""
    from wagtail.models import Locale, Site

    from portal.models import HomePage

    home = Page.objects.filter(depth=2).first()
    if home is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.objects.filter(depth=1).first() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    return home.specific


@pytest.fixture
def catalogue(db):
    home = _home()
    index = home.add_child(instance=CourseIndexPage(title="Learning", slug="learning"))
    lesson_quiz = make_quiz("Lesson check", feedback=Quiz.Feedback.FULL)
    final_quiz = make_quiz("Final exam", pass_mark=70, feedback=Quiz.Feedback.WRONG)
    course = index.add_child(
        instance=CoursePage(
            title="Пищевая безопасность",
            slug="food-safety",
            final_quiz=final_quiz,
            ordered_lessons=True,
            certificate_validity_months=12,
        )
    )
    lesson1 = course.add_child(instance=LessonPage(title="Hygiene", slug="hygiene"))
    lesson2 = course.add_child(
        instance=LessonPage(title="Storage", slug="storage", quiz=lesson_quiz)
    )
    return SimpleNamespace(
        index=index,
        course=course,
        lesson1=lesson1,
        lesson2=lesson2,
        lesson_quiz=lesson_quiz,
        final_quiz=final_quiz,
    )


#: Right answers as a POST, for the quiz of `every_type()`.
RIGHT_POST = {
    "q-q-single": "s-a",
    "q-q-multi": ["m-a", "m-b", "m-d"],
    "q-q-tf": "true",
    "q-q-num": "76,5",
    "q-q-text": "  fifo ",
    "q-q-order-o-1": "1",
    "q-q-order-o-2": "2",
    "q-q-order-o-3": "3",
    "q-q-order-o-4": "4",
}
