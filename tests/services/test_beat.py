"""Exactly one beat: portal.beat.SingleBeatScheduler holds a lock in Redis while it runs."""

import time

import pytest

from portal.beat import LOCK_KEY, BeatLock

from .workers import start_beat, wait_until

pytestmark = pytest.mark.redis


@pytest.fixture
def broker(redis_url, redis_client):
    redis_client.flushdb()
    yield redis_url
    redis_client.flushdb()


def test_the_lock_has_one_holder(broker, redis_client):
    first = BeatLock(broker, ttl=5)
    second = BeatLock(broker, ttl=5)
    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == first.token
    assert not second.refresh()  # nobody extends or frees a lock they do not hold
    assert not second.release()
    assert first.refresh()
    assert 4000 < redis_client.pttl(LOCK_KEY) <= 5000
    assert first.release()
    assert second.acquire()


def test_a_dead_holders_lock_expires(broker):
    dead = BeatLock(broker, ttl=0.5)
    assert dead.acquire()
    successor = BeatLock(broker, ttl=5)
    assert not successor.acquire()
    assert wait_until(successor.acquire, timeout=3)
    assert not dead.refresh()  # the old holder notices it lost the lock


def test_a_second_beat_refuses_to_start(broker, redis_client, tmp_path):
    key = "beat-jobs"
    first = start_beat(broker, tmp_path / "first.log", tmp_path / "first.db", TEST_BEAT_KEY=key)
    try:
        # The first beat sends its every-second job (no worker runs: the queue grows).
        assert wait_until(lambda: redis_client.llen("celery") >= 2, timeout=20), first.output()
        second = start_beat(
            broker, tmp_path / "second.log", tmp_path / "second.db", wait=False, TEST_BEAT_KEY=key
        )
        assert second.process.wait(timeout=60) != 0
        assert "Another celery beat holds" in second.output()
        assert "Sending due task" not in second.output()
        assert first.process.poll() is None
    finally:
        assert first.stop() == 0
    # A clean stop releases the lock at once, so the next beat can start.
    assert redis_client.get(LOCK_KEY) is None
    third = start_beat(broker, tmp_path / "third.log", tmp_path / "third.db")
    third.stop()


def test_after_a_crash_the_next_beat_starts_once_the_lock_expires(broker, redis_client, tmp_path):
    first = start_beat(
        broker, tmp_path / "first.log", tmp_path / "first.db", TEST_BEAT_LOCK_TTL="4"
    )
    first.kill()  # no chance to release the lock
    assert redis_client.get(LOCK_KEY) is not None
    started = time.monotonic()
    successor = start_beat(
        broker, tmp_path / "next.log", tmp_path / "next.db", wait=False, TEST_BEAT_LOCK_TTL="4"
    )
    if successor.process.wait(timeout=60) != 0:  # refused while the dead lock lives
        assert "Another celery beat holds" in successor.output()
        assert wait_until(lambda: redis_client.get(LOCK_KEY) is None, timeout=10)
        successor = start_beat(
            broker, tmp_path / "next2.log", tmp_path / "next2.db", TEST_BEAT_LOCK_TTL="4"
        )
    assert time.monotonic() - started < 60
    successor.wait_for_output("holding the single-beat lock")
    assert successor.stop() == 0
