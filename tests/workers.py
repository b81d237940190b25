"""Real `manage.py db_worker` processes for the tests that need one: they read the test's
database (PostgreSQL, where a second process can see what the test committed)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.postgresql import postgresql_only

ROOT = Path(__file__).resolve().parents[1]
DATABASE_QUEUE = {"default": {"BACKEND": "mediation.task_queue.DatabaseBackend"}}
# The marks of a module whose tests start workers (with transactions the workers can see).
WITH_WORKERS = [
    *postgresql_only("Worker processes share the test database on PostgreSQL (CI runs it there)"),
    pytest.mark.django_db(transaction=True),
]


def start_worker(name: str, *, batch: bool = True, env: dict | None = None) -> subprocess.Popen:
    """A worker on the test database; with `batch`, it stops once the queue is empty."""
    db = connection.settings_dict
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEBUG": "false",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    command += ["--interval", "0" if batch else "0.2", "--worker-id", name]
    if batch:
        command.append("--batch")
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment | (env or {}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
