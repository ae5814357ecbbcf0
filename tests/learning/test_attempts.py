"""Taking quizzes over HTTP: no answers leak, limits hold, order and prerequisites hold."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import (
    Attempt,
    Certificate,
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
    Quiz,
)
from tests.learning.conftest import RIGHT_POST, make_quiz, republish

#: Things that would give answers away; none may appear before grading.
SECRETS = [
    "FIFO",
    "ФИФО",
    # The numeric answer as a filled-in value ("75", "75.0"), not a choice token that happens
    # to start with 75 (tokens are random hex).
    re.compile(r'value="75(?:\.0*)?"'),
    "The cold chain keeps",
    'value="p-',  # matching choices carry per-attempt tokens, never pair ids
    "correct",
    "tolerance",
    "partial_credit",
    "explanation",
]


def _assert_no_secrets(response):
    html = response.content.decode()
    for secret in SECRETS:
        if isinstance(secret, re.Pattern):
            assert not secret.search(html), secret.pattern
        else:
            assert secret not in html, secret


def _start(client, page):
    response = client.post(reverse("learning:quiz_start", args=[page.pk]))
    return response


def _match_fields(attempt, mapping=None):
    entry = next(e for e in attempt.drawn if e["id"] == "q-match")
    token = {pid: t for t, pid in entry["rights"]}
    mapping = mapping or {p: p for p in token}
    return {f"q-q-match-{left}": token[right] for left, right in mapping.items()}


@pytest.fixture
def learner(network, catalogue):
    services.lesson_complete(user=network.member, lesson=catalogue.lesson1, unit=network.unit)
    return network.member


def test_quiz_taking_pages_never_contain_answers(learner, catalogue, client_for):
    client = client_for(learner)
    lesson = client.get(catalogue.lesson2.url)
    assert lesson.status_code == 200
    _assert_no_secrets(lesson)
    start = _start(client, catalogue.lesson2)
    assert start.status_code == 302
    attempt = Attempt.objects.get(user=learner)
    page = client.get(start.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Где хранится сырое мясо?" in html and " checked" not in html
    _assert_no_secrets(page)
    # saving, and a re-render with a field error, leak nothing either
    saved = client.post(start.url, {"q-q-single": "s-a", "action": "save"}, follow=True)
    _assert_no_secrets(saved)
    bad = client.post(start.url, {"q-q-num": "много", "action": "save"})
    assert "Enter a number" in bad.content.decode()
    _assert_no_secrets(bad)
    attempt.refresh_from_db()
    assert attempt.answers == {"q-single": "s-a"}  # the bad POST changed nothing
    # reload resumes the same attempt with the saved answer
    again = _start(client, catalogue.lesson2)
    assert again.url == start.url
    assert Attempt.objects.filter(user=learner).count() == 1
    assert 'value="s-a" checked' in client.get(start.url).content.decode()


def test_submit_grades_and_completes_the_lesson(learner, catalogue, client_for):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    attempt = Attempt.objects.get(user=learner)
    response = client.post(url, {**RIGHT_POST, **_match_fields(attempt), "action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (
        attempt.passed
        and attempt.percent == 100
        and attempt.unit_id == learner.memberships.get().unit_id
    )
    assert LessonCompletion.objects.filter(user=learner, lesson=catalogue.lesson2).exists()
    result = client.get(response.url).content.decode()
    # full feedback after grading: explanation and right answers shown now
    assert "The cold chain keeps" in result and "FIFO / ФИФО" in result


def test_feedback_levels(learner, catalogue, client_for):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    client.post(url, {"q-q-single": "s-b", "action": "submit"})
    attempt = Attempt.objects.get(user=learner)
    republish(catalogue.lesson_quiz, feedback=Quiz.Feedback.SCORE)  # later revisions don't matter
    html = client.get(reverse("learning:attempt_result", args=[attempt.pk])).content.decode()
    assert "Wrong" in html and "FIFO" in html  # graded against its own revision: full feedback
    wrong_only = make_quiz("W", feedback=Quiz.Feedback.WRONG)
    catalogue.lesson2.quiz = wrong_only
    catalogue.lesson2.save_revision().publish()
    client.post(_start(client, catalogue.lesson2).url, {"q-q-single": "s-b", "action": "submit"})
    second = Attempt.objects.filter(user=learner).order_by("-number").first()
    html = client.get(reverse("learning:attempt_result", args=[second.pk])).content.decode()
    assert "Wrong" in html and "FIFO" not in html and "Right answer" not in html


def test_tampered_post_is_rejected_and_saves_nothing(learner, catalogue, client_for):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    for data in ({"q-unknown": "1"}, {"q-q-single": "m-a"}, {"q-q-tf": "perhaps"}):
        response = client.post(url, {**data, "action": "submit"})
        assert response.status_code == 400
        assert "Answers not accepted" in response.content.decode()
    attempt = Attempt.objects.get(user=learner)
    assert attempt.is_open and attempt.answers == {}


def test_replayed_submit_counts_once(learner, catalogue, client_for):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    client.post(url, {"q-q-single": "s-b", "action": "submit"})
    replay = client.post(url, {**RIGHT_POST, "action": "submit"}, follow=True)
    assert "already been submitted" in replay.content.decode()
    attempt = Attempt.objects.get(user=learner)
    assert not attempt.passed and attempt.answers == {"q-single": "s-b"}


def test_submit_after_the_time_limit_keeps_only_saved_answers(learner, catalogue, client_for):
    republish(catalogue.lesson_quiz, time_limit_minutes=10)
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    client.post(url, {"q-q-single": "s-a", "action": "save"})
    attempt = Attempt.objects.get(user=learner)
    assert attempt.deadline is not None
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=2))
    response = client.post(url, {**RIGHT_POST, **_match_fields(attempt), "action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.late and not attempt.is_open
    assert attempt.answers == {"q-single": "s-a"}  # the late answers were not accepted
    assert attempt.score == 1


def test_attempt_limit_and_delay(learner, catalogue, client_for):
    republish(catalogue.lesson_quiz, attempts_allowed=2, attempt_delay_minutes=60)
    client = client_for(learner)
    client.post(_start(client, catalogue.lesson2).url, {"action": "submit"})
    refused = client.post(reverse("learning:quiz_start", args=[catalogue.lesson2.pk]), follow=True)
    assert "You can try again after" in refused.content.decode()
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(hours=2))
    client.post(_start(client, catalogue.lesson2).url, {"action": "submit"})
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(hours=2))
    refused = client.post(reverse("learning:quiz_start", args=[catalogue.lesson2.pk]), follow=True)
    assert "You have used all 2 attempts" in refused.content.decode()
    assert Attempt.objects.filter(user=learner).count() == 2


def test_grading_uses_the_revision_the_attempt_started_with(learner, catalogue, client_for):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    attempt = Attempt.objects.get(user=learner)
    # the editor flips the right answer after the attempt started
    quiz = catalogue.lesson_quiz
    data = quiz.questions.raw_data
    data[0]["value"]["options"][0]["value"]["correct"] = False
    data[0]["value"]["options"][1]["value"]["correct"] = True
    quiz.questions = data
    quiz.save_revision().publish()
    client.post(url, {"q-q-single": "s-a", "action": "submit"})
    attempt.refresh_from_db()
    assert attempt.results["q-single"]["status"] == "right"
    assert attempt.revision_id != Quiz.objects.get(pk=quiz.pk).live_revision_id


def test_ordered_lessons_are_enforced_on_the_server(network, catalogue, client_for):
    client = client_for(network.member)
    response = client.get(catalogue.lesson2.url)
    assert response.status_code == 302 and response.url == catalogue.course.url
    _start(client, catalogue.lesson2)
    assert not Attempt.objects.exists()
    # the final quiz needs every lesson
    _start(client, catalogue.course)
    assert not Attempt.objects.exists()
    client.post(reverse("learning:lesson_done", args=[catalogue.lesson1.pk]))
    assert client.get(catalogue.lesson2.url).status_code == 200


def test_lessons_with_a_quiz_are_not_marked_done_by_hand(learner, catalogue, client_for):
    client_for(learner).post(reverse("learning:lesson_done", args=[catalogue.lesson2.pk]))
    assert not LessonCompletion.objects.filter(lesson=catalogue.lesson2).exists()


def test_prerequisites_are_enforced_on_the_server(network, catalogue, client_for):
    advanced = catalogue.index.add_child(
        instance=CoursePage(title="Advanced", slug="advanced", ordered_lessons=False)
    )
    advanced.prerequisites.add(catalogue.course)
    advanced.save_revision().publish()
    lesson = advanced.add_child(instance=LessonPage(title="Deep dive", slug="deep"))
    client = client_for(network.member)
    assert client.get(lesson.url).status_code == 302
    client.post(reverse("learning:lesson_done", args=[lesson.pk]))
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()
    Certificate.objects.create(
        user=network.member,
        course=catalogue.course,
        code="X1",
        issued_on=timezone.localdate(),
        learner_name="x",
        course_title="y",
    )
    assert client.get(lesson.url).status_code == 200
    client.post(reverse("learning:lesson_done", args=[lesson.pk]))
    assert LessonCompletion.objects.filter(lesson=lesson).exists()
    # the course had no final quiz: finishing its only lesson certifies
    assert Certificate.objects.filter(user=network.member, course=advanced).exists()


def test_final_quiz_pass_issues_a_certificate(learner, catalogue, client_for):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    lesson_attempt = Attempt.objects.get(user=learner)
    client.post(url, {**RIGHT_POST, **_match_fields(lesson_attempt), "action": "submit"})
    url = _start(client, catalogue.course).url
    attempt = Attempt.objects.get(user=learner, page=catalogue.course.page_ptr)
    client.post(url, {**RIGHT_POST, **_match_fields(attempt), "action": "submit"})
    cert = Certificate.objects.get(user=learner, course=catalogue.course)
    assert cert.expires_on is not None and cert.attempt_id == attempt.pk
    course_html = client.get(catalogue.course.url).content.decode()
    assert cert.code in course_html and "100%" in course_html
    # a second try while the certificate is valid is refused
    again = client.post(reverse("learning:quiz_start", args=[catalogue.course.pk]), follow=True)
    assert "already hold a valid certificate" in again.content.decode()


@pytest.mark.parametrize("who", ["other_member", "other_manager", "manager", "owner", None])
def test_attempts_belong_to_their_learner(learner, network, catalogue, client_for, who):
    client = client_for(learner)
    url = _start(client, catalogue.lesson2).url
    attempt = Attempt.objects.get(user=learner)
    result = reverse("learning:attempt_result", args=[attempt.pk])
    other = client_for(getattr(network, who) if who else None)
    for target in (url, result):
        response = other.get(target)
        if who is None:
            assert response.status_code == 302 and "/accounts/login/" in response.url
        else:
            assert response.status_code == 404
    response = other.post(url, {**RIGHT_POST, "action": "submit"})
    assert response.status_code in (302, 404)
    attempt.refresh_from_db()
    assert attempt.is_open


def test_course_pages_need_login_and_audience(network, catalogue, client_for):
    assert client_for(None).get(catalogue.course.url).status_code == 302
    assert client_for(None).get(catalogue.index.url).status_code == 302
    home = client_for(network.member).get(catalogue.index.url).content.decode()
    assert (
        "Пищевая безопасность" in home
        and '<progress class="progress"' in home
        and "0% complete" in home
    )
    catalogue.course.audience_regions.add(network.other_region)
    catalogue.course.save_revision().publish()
    assert client_for(network.member).get(catalogue.course.url).status_code == 404
    assert client_for(network.other_member).get(catalogue.course.url).status_code == 200
    index = client_for(network.member).get(catalogue.index.url).content.decode()
    assert "Пищевая безопасность" not in index
    _start(client_for(network.member), catalogue.course)
    assert not Attempt.objects.exists()


def test_only_one_course_index(catalogue):
    assert CourseIndexPage.max_count == 1
    assert LessonPage.parent_page_types == ["learning.CoursePage"]


def test_services_refuse_a_quiz_without_a_published_revision(learner, catalogue):
    draft = Quiz.objects.create(title="Draft", questions=[], live=False)
    catalogue.lesson2.quiz = draft
    catalogue.lesson2.save()
    with pytest.raises(services.LearningRefused):
        services.attempt_start(user=learner, page=catalogue.lesson2)


def test_anonymous_visitors_are_sent_to_login(catalogue, client_for):
    anonymous = client_for(None)
    for url in (
        reverse("learning:my_learning"),
        reverse("learning:quiz_start", args=[catalogue.lesson2.pk]),
        reverse("learning:lesson_done", args=[catalogue.lesson1.pk]),
        reverse("learning:matrix"),
        reverse("learning:assign"),
    ):
        response = anonymous.post(url) if "start" in url or "done" in url else anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    assert not Attempt.objects.exists() and not LessonCompletion.objects.exists()


def test_pages_of_another_kind_are_not_quizzes(network, catalogue, client_for):
    response = client_for(network.member).post(
        reverse("learning:quiz_start", args=[catalogue.index.pk])
    )
    assert response.status_code == 404
