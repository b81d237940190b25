"""The task queue in this database: django-tasks-db's backend, each task's row written by
Django's INSERT compiled once per process.

`task.enqueue(…)` (django-tasks' public API) is unchanged; the package writes a task's row
with `DBTaskResult.objects.create()`, whose `save()` compiles its 15-column INSERT on every
call: a third of a sign-up's write. Here the same row goes in as `save()` would put it,
through the package's own model: the same `pre_save` (the package's receiver fills
`run_after`) and `post_save` signals, then `mediation.single_insert.insert`. Only the
synchronous path; `aenqueue` keeps the package's. tests/sessions/test_task_queue.py checks
the row against the package's own, column by column.
"""

from django.db import router
from django.db.models.signals import post_save, pre_save
from django_tasks_db import DatabaseBackend as PackageDatabaseBackend

from mediation.observability import mask
from mediation.single_insert import insert
from mediation.task_api import normalize_json


class DatabaseBackend(PackageDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        # The values of the package's own _task_to_db_task (django-tasks-db 0.13).
        result = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        using = router.db_for_write(DBTaskResult, instance=result)
        signal = {"sender": DBTaskResult, "instance": result, "raw": False, "using": using}
        pre_save.send(**signal, update_fields=None)
        insert(result, using=using)
        post_save.send(**signal, created=True, update_fields=None)
        return result


def mask_stored_traceback(sender, instance, **kwargs) -> None:
    """A crashed task's traceback quotes its exception ("provider refused +336…") and stays
    in the database until `prune_db_task_results`, where no erasure reaches: stored masked,
    as the logs are (mediation/observability.py)."""
    if instance.traceback:
        instance.traceback = mask(instance.traceback)


def mask_tracebacks() -> None:
    from django_tasks_db.models import DBTaskResult

    pre_save.connect(mask_stored_traceback, sender=DBTaskResult, dispatch_uid="mask_traceback")
