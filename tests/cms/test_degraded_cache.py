"""With Redis down, the public site and the sign-up keep working: slower, never a 500."""

import logging
import runpy
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from sessions.models import Registration
from sessions.public import ratelimit
from tests.factories import make_coordinator, make_stop, make_workshop

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "mediation" / "settings.py"
# In this branch's port range and never listened on: connections are refused at once.
CLOSED_PORT_URL = "redis://127.0.0.1:8129/0"


@pytest.fixture
def redis_down(monkeypatch):
    """The cache the production settings build from a REDIS_URL that nothing answers."""
    monkeypatch.setenv("REDIS_URL", CLOSED_PORT_URL)
    caches = runpy.run_path(str(SETTINGS_FILE))["CACHES"]
    # Every warning is logged, not only the first of the minute.
    monkeypatch.setattr(ratelimit, "WARNING_INTERVAL_SECONDS", 0)
    with override_settings(CACHES=caches):
        yield


def test_the_cache_of_the_settings_really_points_at_nothing(redis_down):
    cache.set("a", 1)
    assert cache.get("a") is None
    with pytest.raises(Exception):  # noqa: B017 (the counter must not pretend)
        cache.incr("a")


def test_public_pages_answer_with_redis_down(client, redis_down, home, amiens):
    stop = make_stop(commune=amiens)
    workshop = make_workshop(stop=stop)
    for url in [
        "/",
        reverse("cms:commune_search") + "?q=zzzz",
        reverse("cms:commune", args=[amiens.slug]),
        reverse("cms:stop", args=[stop.pk]),
        reverse("cms:feed"),
        reverse("workshops:signup", args=[workshop.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_resident_signs_up_with_redis_down_and_the_fail_open_is_logged(
    client,
    redis_down,
    amiens,
    caplog,
):
    workshop = make_workshop(stop=make_stop(commune=amiens))
    data = {
        "first_name": "Jeanine",
        "last_name": "Dupont",
        "phone": "06 12 34 56 78",
        "home_commune": amiens.name,
        "consent": "on",
        "waiting_list_ok": "on",
    }
    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("workshops:signup", args=[workshop.pk]), data)

    assert response.status_code == 302
    assert Registration.objects.filter(workshop=workshop).count() == 1
    assert any(
        record.name == "sessions.public.ratelimit" and "not enforced" in record.getMessage()
        for record in caplog.records
    )


def test_the_admin_dashboard_answers_with_redis_down(client, redis_down):
    client.force_login(make_coordinator())
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_with_redis_up_the_limit_is_counted_in_redis_for_every_worker(client, monkeypatch):
    """The same settings with a Redis that answers: the count lives in Redis, shared."""
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    caches = runpy.run_path(str(SETTINGS_FILE))["CACHES"]
    caches["default"]["KEY_PREFIX"] = f"test-degraded-{uuid.uuid4()}"
    with override_settings(CACHES=caches):
        request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.77")
        allowed = [
            ratelimit.rate_limit_allows(request, scope="probe", limit=3, window=60)
            for _ in range(4)
        ]
    # No cache.clear(): on Redis it flushes the whole database; the key expires in a minute.
    assert allowed == [True, True, True, False]
