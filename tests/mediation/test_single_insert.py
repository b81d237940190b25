"""insert(obj) writes the row bulk_create([obj]) writes: defaults, dates, JSON, keys, refusals."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Upper

from mediation.single_insert import insert
from sessions.message_models import OutboundMessage
from sessions.models import Registration
from tests.factories import make_commune, make_registration, make_stop, make_workshop

pytestmark = pytest.mark.django_db


def test_it_writes_the_row_bulk_create_writes_and_gives_the_key():
    workshop = make_workshop(stop=make_stop())
    commune = make_commune()

    inserted = insert(
        Registration(
            workshop=workshop, first_name="Odette", phone="+33612345678", home_commune=commune
        )
    )
    (created,) = Registration.objects.bulk_create(
        [Registration(workshop=workshop, first_name="Odette", email="o@example.org")]
    )

    assert inserted.pk and not inserted._state.adding
    row = Registration.objects.get(pk=inserted.pk)
    assert (row.uuid, row.phone, row.home_commune_id) == (inserted.uuid, "+33612345678", commune.pk)
    assert row.created_at == inserted.created_at and row.updated_at is not None
    assert (row.status, row.channel, row.token_version) == (created.status, created.channel, 1)


def test_json_and_related_objects_go_in_as_with_the_orm():
    registration = make_registration(workshop=make_workshop(stop=make_stop()))

    message = insert(
        OutboundMessage(
            registration=registration,
            kind="confirmed",
            channel="sms",
            recipient="+33612345678",
            params={"days": 2, "reason": "Panne « du bus »"},
        )
    )

    row = OutboundMessage.objects.get(pk=message.pk)
    assert row.registration_id == registration.pk
    assert row.params == {"days": 2, "reason": "Panne « du bus »"} and row.headers == {}
    assert row.state == message.state and row.created_at is not None


def test_an_expression_as_a_value_goes_through_the_orm():
    registration = make_registration(workshop=make_workshop(stop=make_stop()))

    message = insert(
        OutboundMessage(
            registration=registration,
            kind="confirmed",
            channel="sms",
            recipient=Upper(Value("abc")),
        )
    )

    assert OutboundMessage.objects.get(pk=message.pk).recipient == "ABC"


def test_the_databases_refusals_stand():
    registration = make_registration(
        workshop=make_workshop(stop=make_stop()), first_name="Odette", phone="0612345678"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        insert(
            Registration(
                workshop=registration.workshop,
                first_name="ODETTE",
                last_name=registration.last_name,
                phone=registration.phone,
            )
        )
