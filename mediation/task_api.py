"""The tasks API of the running Django: its own `django.tasks` from 6.0, the django-tasks
backport (the same API, `django_tasks`) on 5.2.

Every task of this code is declared and enqueued through here, so that on Django 6 it is a
`django.tasks.Task`, the only kind django-tasks-db's database backend runs there. Wagtail
(7.x, 8.0) still declares its own tasks (the reference and search indexes) with the
backport's `task()`, which builds each task with the class of the backend that TASKS names:
so on Django 6 TASKS must name `django.tasks` backends only (settings.TASK_BACKEND_ALIASES
picks the immediate one by the same test as here), or Wagtail's tasks reach the database
queue as tasks it refuses (tests/operations/test_wagtails_tasks.py).
"""

import django

if django.VERSION >= (6, 0):
    from django.tasks import (
        DEFAULT_TASK_BACKEND_ALIAS,
        default_task_backend,
        task,
        task_backends,
    )
    from django.utils.json import normalize_json
else:  # Django 5.2
    from django_tasks import (
        DEFAULT_TASK_BACKEND_ALIAS,
        default_task_backend,
        task,
        task_backends,
    )
    from django_tasks.utils import normalize_json

__all__ = [
    "DEFAULT_TASK_BACKEND_ALIAS",
    "default_task_backend",
    "normalize_json",
    "task",
    "task_backends",
]
