"""The shared counter on Redis (rate limits, the tour's version): one script, atomic."""

import uuid

import pytest
import redis

from mediation.cache import FailSoftRedisCache

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return FailSoftRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-count-{uuid.uuid4()}"})


def test_a_missing_counter_starts_where_asked_and_counts_on(cache):
    assert [cache.count("k", start=41) for _ in range(3)] == [42, 43, 44]
    assert cache.get("k") == 44
    cache.delete("k")


def test_a_counter_with_a_timeout_expires_and_one_without_does_not(cache):
    cache.count("window", timeout=60)
    cache.count("version", start=7, timeout=None)
    client = redis.Redis.from_url(REDIS_URL)

    assert 0 < client.ttl(cache.make_key("window")) <= 60
    assert client.ttl(cache.make_key("version")) == -1
    cache.delete_many(["window", "version"])


def test_the_count_goes_on_after_redis_forgot_the_script(cache):
    cache.count("k")
    redis.Redis.from_url(REDIS_URL).script_flush()

    assert cache.count("k") == 2
    cache.delete("k")
