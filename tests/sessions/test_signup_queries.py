"""A sign-up is a handful of queries, however full the database: the public write path is lean."""

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sessions import sms
from sessions.message_models import MessageState, OutboundMessage
from sessions.models import Registration
from tests.factories import make_commune, make_registration, make_stop, make_workshop

pytestmark = pytest.mark.django_db

# The commune read; BEGIN, the workshop locked (and read: nothing of it before), the seat, the
# insert, the confirmation logged (a duplicate is refused by a unique constraint, not looked
# for), COMMIT.
MAX_QUERIES = 7
DATABASE_QUEUE = {"default": {"BACKEND": "mediation.task_queue.DatabaseBackend"}}


def form_data(number: int) -> dict:
    return {
        "first_name": "Josiane",
        "last_name": "Lefebvre",
        "phone": f"06 12 34 56 {number:02d}",
        "email": "",
        "home_commune": "Valcourt-sur-Test",
        "needs": "",
        "waiting_list_ok": "on",
        "consent": "on",
        "website": "",
    }


def signup_queries(client, workshop, number: int) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("workshops:signup", args=[workshop.pk]), form_data(number))
    assert response.status_code == 302
    return [query["sql"] for query in captured.captured_queries]


def test_a_resident_signs_up_in_a_handful_of_queries_whatever_the_volume(client):
    commune = make_commune(name="Valcourt-sur-Test")
    workshop = make_workshop(stop=make_stop(commune=commune), capacity=40)

    few = signup_queries(client, workshop, 1)
    for _ in range(30):
        make_registration(workshop=workshop)
    many = signup_queries(client, workshop, 2)

    assert len(few) <= MAX_QUERIES, few
    assert len(many) == len(few), many
    assert Registration.objects.filter(workshop=workshop).count() == 32


def test_a_sign_up_writes_nothing_to_wagtails_reference_index(client):
    commune = make_commune(name="Valcourt-sur-Test")
    workshop = make_workshop(stop=make_stop(commune=commune))

    queries = signup_queries(client, workshop, 3)

    assert not [sql for sql in queries if "wagtailcore_referenceindex" in sql]


@override_settings(TASKS=DATABASE_QUEUE)  # production's queue: no worker inside the request
@pytest.mark.django_db(transaction=True)  # the sign-up's own transaction, as in production
def test_a_sign_up_is_one_transaction_with_no_savepoint_and_no_duplicate_lookup(client):
    commune = make_commune(name="Valcourt-sur-Test")
    workshop = make_workshop(stop=make_stop(commune=commune))

    queries = signup_queries(client, workshop, 4)

    assert not [sql for sql in queries if "SAVEPOINT" in sql.upper()], queries
    assert [sql for sql in queries if sql.upper() in ("BEGIN", "COMMIT")] in (
        ["BEGIN", "COMMIT"],
        ["COMMIT"],  # SQLite's BEGIN IMMEDIATE is not logged
    ), queries
    registration_reads = [
        sql for sql in queries if sql.startswith("SELECT") and "workshops_registration" in sql
    ]
    assert registration_reads == [], registration_reads


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_sign_up_queues_its_confirmation_in_its_own_transaction_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    """Josiane signs up online: the request writes the message log and the worker's task in
    the sign-up's transaction; it composes and sends nothing, and leaves nothing for after
    the commit."""
    commune = make_commune(name="Valcourt-sur-Test")
    workshop = make_workshop(stop=make_stop(commune=commune))
    data = form_data(5) | {"email": "josiane@example.org"}

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = client.post(reverse("workshops:signup", args=[workshop.pk]), data)

    assert response.status_code == 302
    assert mail.outbox == [] and sms.outbox == []
    registration = Registration.objects.get(workshop=workshop)
    messages = OutboundMessage.objects.filter(registration=registration)
    assert {(m.channel, m.state, m.body) for m in messages} == {
        ("email", MessageState.QUEUED, ""),
        ("sms", MessageState.QUEUED, ""),
    }
    (task,) = DBTaskResult.objects.filter(task_path="sessions.messaging.send_outbound_messages")
    assert sorted(task.args_kwargs["args"][0]) == sorted(m.pk for m in messages)
    # Only the tour cache's bump waits for the commit; no message, no task.
    assert all("tour_cache" in callback.__module__ for callback in after_commit), after_commit
