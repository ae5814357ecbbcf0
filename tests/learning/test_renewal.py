"""Re-certification of a course without a final quiz: the lessons are taken again.

Once the newest certificate is due for renewal (expired, or expiring within the notice
period), lesson completions from before it was issued no longer count; completing the lessons
again issues a new certificate, and the old one stays in the history.
"""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from franchise.models import Notification
from learning import selectors, services
from learning.models import Attempt, Certificate, CoursePage, LessonCompletion, LessonPage
from tests.learning.conftest import RIGHT_POST, republish

RENEW = "Renew your certificate"


def _today():
    return timezone.localdate()


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@pytest.fixture
def cash(catalogue):
    """A course without a final quiz: a plain lesson, then a lesson with a quiz (1 attempt)."""
    republish(catalogue.lesson_quiz, attempts_allowed=1)
    course = catalogue.index.add_child(
        instance=CoursePage(
            title="Cash discipline",
            slug="cash",
            ordered_lessons=True,
            certificate_validity_months=12,
        )
    )
    till = course.add_child(instance=LessonPage(title="Opening the till", slug="till"))
    count = course.add_child(
        instance=LessonPage(title="Counting the drawer", slug="count", quiz=catalogue.lesson_quiz)
    )
    return course, till, count


def _pass_lesson_quiz(client, lesson, user):
    start = client.post(reverse("learning:quiz_start", args=[lesson.pk]))
    attempt = Attempt.objects.filter(user=user, page_id=lesson.pk).order_by("-number").first()
    assert attempt is not None and start.url == reverse("learning:attempt", args=[attempt.pk])
    entry = next(e for e in attempt.drawn if e["id"] == "q-match")
    matching = {f"q-q-match-{pid}": token for token, pid in entry["rights"]}
    client.post(start.url, {**RIGHT_POST, **matching, "action": "submit"})
    attempt.refresh_from_db()
    return attempt


def _take_course(client, cash, user):
    course, till, count = cash
    client.post(reverse("learning:lesson_done", args=[till.pk]))
    return _pass_lesson_quiz(client, count, user)


def _completions(user) -> dict:
    return dict(LessonCompletion.objects.filter(user=user).values_list("lesson_id", "completed_at"))


def _move_to_past(user, course, days: int):
    """Pretend the user's whole certification cycle happened `days` ago."""
    issued = _today() - timedelta(days=days)
    cert = Certificate.objects.get(user=user, course=course)
    cert.issued_on = issued
    cert.expires_on = services._add_months(issued, course.certificate_validity_months)
    cert.save()
    LessonCompletion.objects.filter(user=user, course=course).update(completed_at=_at(issued))
    Attempt.objects.filter(user=user, course=course).update(
        started_at=_at(issued), submitted_at=_at(issued)
    )
    return cert


def test_expired_certificate_is_renewed_by_taking_the_lessons_again(
    network, cash, client_for, catalogue
):
    course, till, count = cash
    client = client_for(network.member)
    first_attempt = _take_course(client, cash, network.member)
    assert first_attempt.passed
    old = _move_to_past(network.member, course, days=400)
    assert old.expires_on < _today()

    html = client.get(course.url).content.decode()
    assert RENEW in html and "Expired" in html
    assert "Take these lessons again" in html
    renewal = html[html.index(RENEW) : html.index("</div>", html.index(RENEW))]
    assert "Opening the till" in renewal and "Counting the drawer" in renewal
    assert 'badge--ok">Done' not in html
    assert selectors.my_learning(network.member)["in_progress"][0]["percent"] == 0
    # the second lesson is locked again until the first is redone
    assert client.get(count.url).status_code == 302
    assert "Mark as done" in client.get(till.url).content.decode()

    client.post(reverse("learning:lesson_done", args=[till.pk]))
    redone = LessonCompletion.objects.get(user=network.member, lesson=till)
    assert timezone.localdate(redone.completed_at) == _today()
    assert LessonCompletion.objects.filter(user=network.member, course=course).count() == 2
    assert Certificate.objects.filter(user=network.member).count() == 1
    assert selectors.my_learning(network.member)["in_progress"][0]["percent"] == 50

    # the lesson quiz allows one attempt: the attempt of the old cycle does not use it up
    second_attempt = _pass_lesson_quiz(client, count, network.member)
    assert second_attempt.passed and second_attempt.number == 2

    certs = list(Certificate.objects.filter(user=network.member).order_by("issued_on"))
    assert len(certs) == 2
    assert certs[0].pk == old.pk and certs[0].code == old.code  # history kept
    new = certs[1]
    assert new.issued_on == _today() and new.expires_on > _today() and new.code != old.code
    html = client.get(course.url).content.decode()
    assert RENEW not in html and "Valid" in html
    assert html.count('badge--ok">Done') == 2
    assert selectors.my_learning(network.member)["completed"][0]["percent"] == 100
    # done for this cycle: no third attempt, no third certificate
    with pytest.raises(services.LearningRefused):
        services.attempt_start(user=network.member, page=count)
    assert not services.lesson_complete(user=network.member, lesson=till)
    assert Certificate.objects.filter(user=network.member).count() == 2


def test_a_valid_certificate_resets_nothing(network, cash, client_for):
    course, till, count = cash
    client = client_for(network.member)
    _take_course(client, cash, network.member)
    _move_to_past(network.member, course, days=100)
    before = _completions(network.member)

    html = client.get(course.url).content.decode()
    assert RENEW not in html and "Valid" in html
    assert html.count('badge--ok">Done') == 2
    assert "Mark as done" not in client.get(till.url).content.decode()
    response = client.post(reverse("learning:lesson_done", args=[till.pk]))
    assert response.status_code == 302
    response = client.post(reverse("learning:quiz_start", args=[count.pk]))
    assert response.url == count.url
    assert Attempt.objects.filter(user=network.member).count() == 1
    assert _completions(network.member) == before
    assert Certificate.objects.filter(user=network.member).count() == 1
    assert selectors.my_learning(network.member)["completed"][0]["percent"] == 100


def test_renewal_window_opens_before_expiry(network, cash, settings):
    settings.LEARNING_RECERTIFY_NOTICE_DAYS = 30
    course, till, count = cash
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(user=network.member, lesson=lesson, course=course)
            for lesson in (till, count)
        ]
    )
    services.certificate_issue(user=network.member, course=course)
    old = _move_to_past(network.member, course, days=350)
    assert _today() < old.expires_on <= _today() + timedelta(days=30)

    state = selectors.course_state(network.member, course)
    assert state["certificate_valid"] and state["renewal"]
    assert [lesson.pk for lesson in state["renewal_lessons"]] == [till.pk, count.pk]
    assert services.lesson_complete(user=network.member, lesson=till)
    assert services.lesson_complete(user=network.member, lesson=count, checked=True)
    assert Certificate.objects.filter(user=network.member, course=course).count() == 2
    assert not selectors.course_state(network.member, course)["renewal"]


def test_another_learner_is_unaffected(network, cash, client_for):
    course, till, count = cash
    for user, days in ((network.member, 400), (network.owner, 100)):
        _take_course(client_for(user), cash, user)
        _move_to_past(user, course, days=days)
    owner_done = _completions(network.owner)

    member = client_for(network.member)
    assert RENEW in member.get(course.url).content.decode()
    owner_html = client_for(network.owner).get(course.url).content.decode()
    assert RENEW not in owner_html and owner_html.count('badge--ok">Done') == 2

    member.post(reverse("learning:lesson_done", args=[till.pk]))
    _pass_lesson_quiz(member, count, network.member)
    assert Certificate.objects.filter(user=network.member).count() == 2
    assert Certificate.objects.filter(user=network.owner).count() == 1
    assert _completions(network.owner) == owner_done
    frame = selectors.progress_frame([network.member.pk, network.owner.pk], [course.pk])
    assert dict(zip(frame["user_id"], frame["percent"], strict=True)) == {
        network.member.pk: 100,
        network.owner.pk: 100,
    }


def test_progress_counts_only_the_new_cycle(network, cash):
    course, till, count = cash
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(user=network.member, lesson=lesson, course=course)
            for lesson in (till, count)
        ]
    )
    services.certificate_issue(user=network.member, course=course)
    _move_to_past(network.member, course, days=400)

    def percent():
        frame = selectors.progress_frame([network.member.pk], [course.pk])
        return int(frame["percent"].iloc[0])

    assert percent() == 0
    services.lesson_complete(user=network.member, lesson=till)
    assert percent() == 50


def test_courses_with_a_final_quiz_renew_through_the_quiz(network, catalogue, client_for):
    course = catalogue.course
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(user=network.member, lesson=lesson, course=course)
            for lesson in (catalogue.lesson1, catalogue.lesson2)
        ]
    )
    services.certificate_issue(user=network.member, course=course)
    _move_to_past(network.member, course, days=400)

    html = client_for(network.member).get(course.url).content.decode()
    assert RENEW in html and "Pass the final quiz again" in html
    assert html.count('badge--ok">Done') == 2  # lessons stay done
    assert "Take the final quiz" in html
    assert selectors.done_lesson_ids(network.member, course) == {
        catalogue.lesson1.pk,
        catalogue.lesson2.pk,
    }


def test_expiry_notice_of_a_course_without_final_quiz_asks_for_the_lessons(network, cash):
    course, till, count = cash
    services.certificate_issue(user=network.member, course=course, unit=network.unit)
    _move_to_past(network.member, course, days=350)
    assert services.reminders_send(day=_today())["recertify"] == 1
    notice = Notification.objects.get(user=network.member, title__contains="expires")
    assert "take its lessons again" in notice.body and "final quiz" not in notice.body
