"""/health/ tells a monitoring probe whether the site can serve, naming what is broken."""

import pytest
from django.db import connections
from django.test import override_settings

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: connections are refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def test_a_monitoring_probe_gets_200_and_every_check_ok(client, media_root):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "media_storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_with_the_cache_unreachable_it_answers_503_naming_the_cache(client, media_root):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "error",
        "media_storage": "ok",
    }


@pytest.fixture
def unreachable_database():
    """The default connection replaced by one to a database that cannot be reached."""
    original = connections["default"]
    broken_settings = dict(original.settings_dict)
    if original.vendor == "sqlite":
        broken_settings["NAME"] = "/nonexistent-folder/db.sqlite3"
    else:
        broken_settings.update(HOST="127.0.0.1", PORT=1)
    broken = original.__class__(broken_settings, "default")
    connections._connections.default = broken
    yield
    connections._connections.default = original
    broken.close()


def test_with_the_database_unreachable_it_answers_503_naming_the_database(
    client, media_root, unreachable_database
):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"
    assert body["checks"]["cache"] == "ok"


def test_a_missing_media_folder_is_reported(client, media_root):
    media_root.rmdir()
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["media_storage"] == "error"


def test_the_answer_names_no_host_path_or_error_text(client, media_root, unreachable_database):
    text = client.get("/health/").content.decode()
    assert "nonexistent" not in text
    assert "127.0.0.1" not in text
    assert str(media_root) not in text


def test_the_task_queue_is_checked_only_with_the_database_task_backend(settings):
    from mediation.health import active_checks

    assert "task_queue" not in active_checks()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "task_queue" in active_checks()


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_probe_over_plain_http_is_not_redirected_to_https(client, media_root):
    assert client.get("/health/").status_code == 200
    assert client.get("/modules/").status_code == 301
