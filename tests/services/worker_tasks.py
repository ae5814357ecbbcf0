"""A test-only task the worker subprocess imports (`celery worker --include ...`).

Its side effect lives in Redis, so a worker and the test see it whatever the database:
every attempt is appended to `<key>:attempts`; the effect (`<key>:effects`) is applied once
per run id, guarded by SET NX — the idempotency a re-delivered task relies on.
"""

import time

import redis
from celery import shared_task


@shared_task(bind=True, acks_late=True)
def record(self, key: str, run_id: str, first_attempt_sleep: float = 0.0) -> int:
    client = redis.Redis.from_url(self.app.conf.broker_url)
    attempts = client.rpush(f"{key}:attempts", run_id)
    if attempts == 1 and first_attempt_sleep:
        time.sleep(first_attempt_sleep)  # the test kills the worker during this sleep
    if client.set(f"{key}:done:{run_id}", 1, nx=True):
        client.incr(f"{key}:effects")
    return attempts
