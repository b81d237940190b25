"""Wagtail's own background tasks (its reference index: what uses an intercommunality, an
image, a page) run through the production queue on every Django this code supports. On
Django 6, django-tasks-db runs `django.tasks` tasks only, and Wagtail declares its tasks with
the django-tasks backport, which builds them with the class of the backend TASKS names at
start-up: with the backport's immediate backend there (as on Django 5.2), saving a commune
failed on a task the queue refused (mediation/task_api.py). On PostgreSQL, with a real
worker."""

from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from tests.factories import make_commune, make_epci
from tests.workers import DATABASE_QUEUE, WITH_WORKERS, start_worker

pytestmark = WITH_WORKERS


@override_settings(TASKS=DATABASE_QUEUE)
def test_an_intercommunality_given_a_commune_is_known_to_be_in_use():
    epci = make_epci(name="CC du Vimeu")

    make_commune(name="Feuquières-en-Vimeu", epci=epci)  # Wagtail enqueues its index's update
    worker = start_worker("wagtail-tasks")
    output = worker.communicate(timeout=120)[0].decode()

    assert worker.returncode == 0, output
    # Its "usage" in the back office names the commune: deleting it would warn.
    assert (
        ReferenceIndex.get_references_to(epci).filter(base_content_type__model="commune").exists()
    )
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
