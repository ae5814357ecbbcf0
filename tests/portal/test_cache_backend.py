"""portal.cache: Django's Redis backend with one client per pool, against the real Redis."""

import os

import pytest

from portal.cache import RedisCache


def _redis_or_skip():
    import socket

    with socket.socket() as probe:
        probe.settimeout(0.3)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            if os.environ.get("CI"):
                pytest.fail("Redis on 127.0.0.1:6379 is required in CI")
            pytest.skip("needs Redis on 127.0.0.1:6379 (redis-server)")


@pytest.mark.redis
def test_operations_share_one_client_and_work():
    _redis_or_skip()
    cache = RedisCache("redis://127.0.0.1:6379/7", {"KEY_PREFIX": "cache-backend-test"})
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    assert cache.add("a", 2, 30) is False
    assert cache.get_many(["a", "missing"]) == {"a": {"x": 1}}
    cache.delete("a")
    assert cache.get("a") is None
    client = cache._cache
    assert client.get_client("k") is client.get_client("other", write=True)
