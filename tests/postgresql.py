"""The marks of a test module that only means something on PostgreSQL (row locks, concurrent
processes, its own backend): skipped before any database set-up on SQLite, where such a test
would only flush the database. CI runs them on PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.db import connections


def postgresql_only(reason: str) -> list[pytest.MarkDecorator]:
    return [
        pytest.mark.postgres_only,
        pytest.mark.skipif(
            "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason=reason
        ),
    ]


def run_at_once(jobs) -> list:
    """Run each job in its own thread (its own connection), all released at the same moment;
    their results, in the order they finished."""
    start = threading.Barrier(len(jobs))
    results = []

    def run(job):
        start.wait()
        try:
            results.append(job())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
