"""Fixtures for tests that need real services (Redis, a Celery worker, subprocesses).

Outside CI a missing service skips the test with the reason; with CI=true it fails, so a
CI machine without Redis can never pass these silently.
"""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        ok = True
    except redis.RedisError:
        ok = False
    require(ok, f"Redis is not reachable at {REDIS_URL} (start redis-server or set TEST_REDIS_URL)")
    return REDIS_URL


@pytest.fixture
def redis_client(redis_url):
    import redis

    return redis.Redis.from_url(redis_url)


@pytest.fixture
def unique():
    """A short unique tag: queue names and keys of one test never meet another run's."""
    return uuid.uuid4().hex[:10]
