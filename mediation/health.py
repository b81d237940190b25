"""/health/: is the site able to serve? Cheap enough to be polled every ten seconds.

Each check is a small function that raises when its service is not usable. The answer names
each check with "ok" or "error" and nothing else: the reason goes to the log, not to whoever
polls (it could name hosts or paths).
"""

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# A task waiting longer than this means that no worker is taking tasks.
TASK_QUEUE_MAX_DELAY = dt.timedelta(minutes=10)
DATABASE_TASK_BACKENDS = {
    "mediation.task_queue.DatabaseBackend",
    "django_tasks_db.DatabaseBackend",
    "django_tasks_db.backend.DatabaseBackend",
    "django_tasks.backends.database.DatabaseBackend",
}


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, value = "health-check", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")


def check_media_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        root = default_storage.base_location
        if not (os.path.isdir(root) and os.access(root, os.W_OK)):
            raise RuntimeError(f"the media folder {root} is missing or not writable")
        return
    # A remote storage (S3): one cheap request that fails when it is unreachable or refused.
    default_storage.exists("health-check")


def database_task_backend_configured() -> bool:
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    return backend in DATABASE_TASK_BACKENDS


def check_task_queue() -> None:
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - TASK_QUEUE_MAX_DELAY
    overdue = (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=cutoff)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
    )
    if overdue.exists():
        raise RuntimeError(f"tasks have waited more than {TASK_QUEUE_MAX_DELAY} for a worker")


def active_checks() -> dict[str, Callable[[], None]]:
    checks = {
        "database": check_database,
        "cache": check_cache,
        "media_storage": check_media_storage,
    }
    if database_task_backend_configured():
        checks["task_queue"] = check_task_queue
    return checks


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in active_checks().items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = False
        else:
            results[name] = True
    return results


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    healthy = all(results.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checks": {name: "ok" if fine else "error" for name, fine in results.items()},
        },
        status=200 if healthy else 503,
    )
