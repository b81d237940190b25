"""The marks of a test module that only means something on PostgreSQL (row locks, concurrent
processes, its own backend): skipped before any database set-up on SQLite, where such a test
would only flush the database. CI runs them on PostgreSQL."""

import pytest
from django.conf import settings


def postgresql_only(reason: str) -> list[pytest.MarkDecorator]:
    return [
        pytest.mark.postgres_only,
        pytest.mark.skipif(
            "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason=reason
        ),
    ]
