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


def _started_or_refused(beat, timeout: float = 120) -> bool:
    """True when the beat took the lock, False when it exited (refused)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "holding the single-beat lock" in beat.output():
            return True
        if beat.process.poll() is not None:
            return False
        time.sleep(0.2)
    raise AssertionError(f"beat neither started nor exited:\n{beat.output()[-3000:]}")


def test_after_a_crash_the_next_beat_starts_once_the_lock_expires(broker, redis_client, tmp_path):
    ttl = "8"
    first = start_beat(
        broker, tmp_path / "first.log", tmp_path / "first.db", TEST_BEAT_LOCK_TTL=ttl
    )
    first.kill()  # no chance to release the lock
    assert redis_client.get(LOCK_KEY) is not None
    successor = start_beat(
        broker, tmp_path / "next.log", tmp_path / "next.db", wait=False, TEST_BEAT_LOCK_TTL=ttl
    )
    if not _started_or_refused(successor):
        # Started while the dead beat's lock still lived: refused, with the reason.
        assert successor.process.returncode != 0
        assert "Another celery beat holds" in successor.output()
        assert wait_until(lambda: redis_client.get(LOCK_KEY) is None, timeout=15)
        successor = start_beat(
            broker, tmp_path / "next2.log", tmp_path / "next2.db", TEST_BEAT_LOCK_TTL=ttl
        )
    # Either way a beat now holds the lock, and it is the successor's.
    assert successor.process.poll() is None
    assert redis_client.get(LOCK_KEY).decode().split(":")[1] == str(successor.process.pid)
    assert successor.stop() == 0
    assert redis_client.get(LOCK_KEY) is None
