"""A staff member takes a lesson and its quiz in the browser (every question type)."""

import re

import pytest
from playwright.sync_api import expect

from learning.models import Attempt, LessonCompletion
from tests.e2e.conftest import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def question(page, prompt: str):
    return page.locator("fieldset.quiz-question", has_text=prompt)


def test_staff_member_takes_a_lesson_and_its_quiz(page, shot, network, catalogue):
    sign_in(page, "member")
    page.goto(catalogue.course.url)
    expect(page.get_by_role("heading", name="Пищевая безопасность")).to_be_visible()
    expect(page.get_by_role("link", name="Storage")).to_have_count(0)  # locked: lessons in order
    shot("course")

    page.get_by_role("link", name="Hygiene").click()
    expect(page.get_by_role("heading", name="Hygiene")).to_be_visible()
    shot("lesson")
    page.get_by_role("button", name="Mark as done").click()
    # Done: straight on to the next lesson, which has a quiz.
    expect(page.get_by_role("heading", name="Storage")).to_be_visible()
    assert LessonCompletion.objects.filter(user=network.member, lesson=catalogue.lesson1).exists()
    shot("next-lesson")

    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", name="Lesson check")).to_be_visible()
    attempt = Attempt.objects.get(user=network.member, page_id=catalogue.lesson2.pk)
    expect(page).to_have_url(re.compile(rf"/learn/attempts/{attempt.pk}/$"))
    shot("quiz")

    question(page, "Где хранится сырое мясо?").get_by_label("На нижней полке").check()
    multi = question(page, "What must a food handler wear?")
    for option in ("Hairnet", "Clean apron", "Gloves for ready food"):
        multi.get_by_label(option).check()
    # One wrong answer on purpose: the result must show it.
    question(page, "Chilled food is kept at 0–5 °C.").get_by_label("False").check()
    question(page, "Core temperature for cooked chicken").get_by_role("textbox").fill("76,5")
    question(page, "Name the method").get_by_role("textbox").fill("  fifo ")
    matching = next(e for e in attempt.drawn if e["id"] == "q-match")
    for token, pair_id in matching["rights"]:
        page.locator(f'select[name="q-q-match-{pair_id}"]').select_option(token)
    for position, item_id in enumerate(("o-1", "o-2", "o-3", "o-4"), start=1):
        page.locator(f'select[name="q-q-order-{item_id}"]').select_option(str(position))
    shot("answered")

    # Save first: the answers come back after a reload.
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    expect(question(page, "Name the method").get_by_role("textbox")).to_have_value("fifo")
    page.get_by_role("button", name="Submit for grading").click()

    expect(page).to_have_url(re.compile(rf"/learn/attempts/{attempt.pk}/result/$"))
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.passed
    assert (attempt.score, attempt.max_score) == (11, 12)
    score = page.locator(".quiz-score")
    expect(score).to_contain_text(f"{attempt.percent}%")
    expect(score.get_by_text("Passed")).to_be_visible()
    wrong = page.get_by_role("row", name=re.compile("Chilled food"))
    expect(wrong.get_by_text("Wrong")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Core temperature")).get_by_text("Right"))
    shot("result")

    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", name="Storage")).to_be_visible()
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    page.get_by_role("link", name="Пищевая безопасность").click()
    expect(page.locator(".lesson--done")).to_have_count(2)
    expect(page.get_by_role("button", name="Take the final quiz")).to_be_visible()
    shot("course-done")
    assert page.csp_violations == []
