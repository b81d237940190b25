"""A sign-up is a handful of queries, however full the database: the public write path is lean."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import Registration
from tests.factories import make_commune, make_registration, make_stop, make_workshop

pytestmark = pytest.mark.django_db

# Workshop and commune read, the workshop locked, the duplicate check, the seat, the insert;
# then the confirmation logged and queued for the worker in the same transaction.
MAX_QUERIES = 12


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
