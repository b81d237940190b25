"""A Redis cache that answers as an empty cache when Redis is down, instead of raising.

Everything the site keeps in the cache can be rebuilt (Wagtail's site lookups, rendered
pages, rate-limit counters), so a Redis outage must cost speed, never a page. Each failure is
logged, at most once a minute per process so that an outage does not flood the logs.
Counters (`incr`, `decr`, `count`) still raise: a caller that counts must decide what an
unknown count means (the rate limits let the request through, see sessions/ratelimit.py).

`count(key)` is the counter every caller wants (rate limits, the tour cache's version): create
the key if it is missing, add one and read it, atomically and in one round trip. Django's
`add` then `incr` cost three (SET NX, then EXISTS and INCRBY). On Redis it is one command, a
short Lua script run by its digest (EVALSHA): a script runs atomically, and one command to
write and one reply to read cost the client a third of a MULTI of SET NX and INCR (four
commands and replies); the sign-up counts twice per request.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 60
_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL_SECONDS:
        _last_warning = now
        logger.warning(
            "Cache unavailable (%s: %s): answering as an empty cache",
            operation,
            error.__class__.__name__,
        )


def cache_count(cache, key: str, *, start: int = 0, timeout=None) -> int:
    """Add one to the counter at `key` and return it; a missing key starts at `start` (and
    expires after `timeout` seconds, never when None). Any cache: one round trip on Redis
    (FailSoftRedisCache.count), `add` then `incr` elsewhere. Raises when the cache does."""
    count = getattr(cache, "count", None)  # `cache` may be django.core.cache's proxy
    if callable(count):
        return count(key, start=start, timeout=timeout)
    cache.add(key, start, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this call opens a new count
        cache.add(key, start + 1, timeout=timeout)
        return start + 1


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per server instead of one per call.

    Django builds a new `redis.Redis` for every operation; redis-py 7 fills a table of about
    150 response callbacks in each, which cost more than the round trip itself on a cached
    page (two operations a hit). A `redis.Redis` over a connection pool is thread-safe.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# SET NX (with its expiry in seconds, when one is given) then INCR, atomically.
COUNT_SCRIPT = """
if ARGV[2] == "" then
  redis.call("SET", KEYS[1], ARGV[1], "NX")
else
  redis.call("SET", KEYS[1], ARGV[1], "NX", "EX", ARGV[2])
end
return redis.call("INCR", KEYS[1])
"""


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._count_scripts = {}

    def count(self, key, *, start: int = 0, timeout=None, version=None) -> int:
        """SET NX (with its expiry) and INCR in one script: atomic, one round trip.

        redis-py's Script sends EVALSHA and, when Redis does not know the script (a restart,
        SCRIPT FLUSH), loads it and sends it again."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        script = self._count_scripts.get(id(client))
        if script is None:
            script = self._count_scripts[id(client)] = client.register_script(COUNT_SCRIPT)
        expiry = self.get_backend_timeout(timeout)
        return script(keys=[key], args=[start, "" if expiry is None else expiry])

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _warn("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _warn("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as error:
            _warn("has_key", error)
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _warn("add", error)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _warn("set", error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _warn("set_many", error)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            _warn("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            _warn("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            _warn("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            _warn("clear", error)
            return False
