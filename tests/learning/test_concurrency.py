"""Two tabs at once, against PostgreSQL: no extra attempt, one submission counts, no late
answers. Threads use their own connections, so the test needs real transactions."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from learning import services
from learning.models import Attempt
from tests.learning.conftest import RIGHT_POST, republish

pytestmark = [
    pytest.mark.postgres,
    # transactional: the threads must see each other's committed rows
    pytest.mark.django_db(transaction=True),
]


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as error:  # collected and asserted on below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def ready(network, catalogue):
    services.lesson_complete(user=network.member, lesson=catalogue.lesson1)
    republish(catalogue.lesson_quiz, attempts_allowed=1, time_limit_minutes=5)
    return network.member, catalogue.lesson2


def test_two_tabs_starting_get_one_attempt(ready):
    user, lesson = ready
    results = _race(lambda: services.attempt_start(user=user, page=lesson).pk)
    assert Attempt.objects.filter(user=user).count() == 1
    assert results[0] == results[1]  # both tabs resume the same attempt


def test_two_submissions_count_once_and_the_limit_holds(ready):
    user, lesson = ready
    attempt = services.attempt_start(user=user, page=lesson)
    answers = {"q-single": "s-a"}
    results = _race(lambda: services.attempt_submit(attempt=attempt, answers=answers))
    refused = [r for r in results if isinstance(r, services.LearningRefused)]
    done = [r for r in results if isinstance(r, Attempt)]
    assert len(done) == 1 and len(refused) == 1
    # and the single allowed attempt is used up, however many tabs ask
    results = _race(lambda: services.attempt_start(user=user, page=lesson))
    assert all(isinstance(r, services.LearningRefused) for r in results)
    assert Attempt.objects.filter(user=user).count() == 1


def test_submissions_after_the_deadline_are_refused(ready):
    user, lesson = ready
    attempt = services.attempt_start(user=user, page=lesson)
    services.attempt_save(attempt=attempt, answers={"q-tf": True})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    results = _race(lambda: services.attempt_submit(attempt=attempt, answers=dict(RIGHT_POST)))
    assert all(isinstance(r, services.LearningRefused) for r in results)
    attempt.refresh_from_db()
    assert attempt.late and attempt.answers == {"q-tf": True} and attempt.score == 1
