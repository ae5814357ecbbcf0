"""Django's Redis cache backend with one Redis client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every operation, and
each one fills its response-callback table (about 170 entries): some 0.3 ms per cache call,
a dozen calls per page. `redis.Redis` is safe to share between threads, so one per pool does.
"""

from django.core.cache.backends import redis as django_redis


class PooledRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
