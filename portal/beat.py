"""Exactly one Celery beat: a scheduler that runs only while it holds a lock in Redis.

Two beats (a second server, an operator starting one by hand, a restart that overlaps the
old process) would send every periodic job twice. `SingleBeatScheduler` takes a Redis key
with `SET NX PX` before it schedules anything and refreshes it on every tick; a second beat
finds the key taken and exits with an error. If the holder dies without releasing the key
(kill -9, a lost machine), the key expires after `PORTAL_BEAT_LOCK_TTL` seconds and the next
beat may start. A holder that finds its key gone or taken (e.g. Redis was flushed and
another beat got in first) stops instead of running alongside.

Production sets `CELERY_BEAT_SCHEDULER = "portal.beat:SingleBeatScheduler"`.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "portal:celery-beat:lock"

# Extend / delete the key only while it still holds our token (never someone else's lock).
_REFRESH = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class BeatLockHeld(SystemExit):
    """Another beat holds the lock; exiting is the only correct thing to do."""


class BeatLock:
    """A Redis lock with an owner token and a time to live, refreshed by its holder."""

    def __init__(self, url: str, *, key: str = LOCK_KEY, ttl: float = 60.0):
        self.client = redis.Redis.from_url(url)
        self.key = key
        self.ttl_ms = int(ttl * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"

    def acquire(self) -> bool:
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def refresh(self) -> bool:
        return bool(self.client.eval(_REFRESH, 1, self.key, self.token, self.ttl_ms))

    def release(self) -> bool:
        return bool(self.client.eval(_RELEASE, 1, self.key, self.token))

    def holder(self) -> str:
        value = self.client.get(self.key)
        return value.decode() if value else ""


def lock_url(app) -> str:
    return getattr(settings, "PORTAL_BEAT_LOCK_URL", "") or app.conf.broker_url or ""


class SingleBeatScheduler(PersistentScheduler):
    """PersistentScheduler that refuses to run while another beat holds the Redis lock."""

    def __init__(self, app, *args, **kwargs):
        self.lock_ttl = float(getattr(settings, "PORTAL_BEAT_LOCK_TTL", 60))
        url = lock_url(app)
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise SystemExit(
                "portal.beat.SingleBeatScheduler needs a Redis URL "
                "(CELERY_BROKER_URL or PORTAL_BEAT_LOCK_URL) to hold the single-beat lock."
            )
        self.lock = BeatLock(url, ttl=self.lock_ttl)
        self._locked = False
        super().__init__(app, *args, **kwargs)
        # Tick often enough to refresh the lock well before it expires.
        self.max_interval = min(self.max_interval, self.lock_ttl / 3)

    def setup_schedule(self):
        if not self.lock.acquire():
            raise BeatLockHeld(
                f"Another celery beat holds {self.lock.key} ({self.lock.holder()}); "
                "only one beat may run. Stop it first, or wait "
                f"{self.lock_ttl:.0f}s if it died."
            )
        self._locked = True
        logger.info("beat: holding the single-beat lock %s", self.lock.key)
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        if not self.lock.refresh():
            self._locked = False
            logger.error("beat: lost the single-beat lock %s; stopping", self.lock.key)
            raise SystemExit("celery beat lost its single-beat lock")
        return min(super().tick(*args, **kwargs), self.lock_ttl / 3)

    def close(self):
        try:
            super().close()
        finally:
            if self._locked:
                self.lock.release()
                self._locked = False
