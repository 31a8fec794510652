"""Django's Redis cache backend, keeping one redis client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call; redis-py fills ~170 response
callbacks into a fresh case-insensitive dict each time, which costs more than the Redis round trip itself.
Every API request makes two or three cache calls (the access-token revocation check, the throttles), so the
clients are kept instead: redis-py documents its clients as safe to share between threads, and they hold no
state beyond the pool they were given.
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class SharedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[Any, Any] = {}  # pool -> its client

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own helpers, which its stubs leave out.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(pool)
        if client is None:  # two threads may both build one here; either is fine to keep
            client = self._clients[pool] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
