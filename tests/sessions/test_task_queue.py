"""The production queue writes a task's row as django-tasks-db writes it, column by column."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sessions.messaging import send_outbound_messages

pytestmark = pytest.mark.django_db

OURS = {"default": {"BACKEND": "mediation.task_queue.DatabaseBackend"}}
PACKAGES = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
COMPARED = [
    field.attname
    for field in DBTaskResult._meta.concrete_fields
    if field.attname not in ("id", "enqueued_at")
]


def enqueue(tasks, run_after):
    with override_settings(TASKS=tasks):
        task = send_outbound_messages
        if run_after is not None:
            task = task.using(run_after=run_after)
        result = task.enqueue([4, 2])
    return DBTaskResult.objects.get(pk=result.id), result


@pytest.mark.parametrize("delay", [None, dt.timedelta(hours=1)])
def test_a_task_row_is_the_one_the_package_writes(delay):
    run_after = None if delay is None else timezone.now() + delay

    ours, result = enqueue(OURS, run_after)
    packages, _ = enqueue(PACKAGES, run_after)

    assert [getattr(ours, name) for name in COMPARED] == [
        getattr(packages, name) for name in COMPARED
    ]
    assert ours.enqueued_at is not None and str(ours.pk) == result.id
    assert result.args == [[4, 2]] and result.status == packages.status
    assert (ours in DBTaskResult.objects.ready()) is (delay is None)
