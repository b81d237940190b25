"""The confirmation a resident receives: an e-mail with the .ics and documents, an SMS."""

import pytest
from django.core import mail
from icalendar import Calendar

from mediation.ical import workshop_uid
from sessions import sms
from sessions.links import personal_link, short_link
from sessions.services import registration_create
from tests.factories import make_module, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def caf_workshop():
    module = make_module(
        title="Créer son compte CAF",
        documents_to_bring="Numéro allocataire\nPièce d'identité",
    )
    return make_workshop(module=module, capacity=1)


def test_the_confirmation_email_carries_the_ics_the_documents_and_the_personal_link(
    caf_workshop, sent
):
    with sent():
        registration = registration_create(
            workshop=caf_workshop, first_name="Josiane", email="josiane@example.org"
        )

    (message,) = mail.outbox
    assert message.to == ["josiane@example.org"]
    assert "Numéro allocataire" in message.body
    assert "Pièce d'identité" in message.body
    assert personal_link(registration).url in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == workshop_uid(caf_workshop.pk)
    assert event.decoded("DTSTART") == caf_workshop.starts_at
    assert str(event["SUMMARY"]) == "Créer son compte CAF"
    assert sms.outbox == []


def test_a_resident_with_only_a_phone_gets_an_sms_with_the_personal_link(caf_workshop, sent):
    with sent():
        registration = registration_create(
            workshop=caf_workshop, first_name="Gérard", phone="0611223344"
        )

    (message,) = sms.outbox
    assert message.to == "+33611223344"
    assert short_link(registration).url in message.body
    assert mail.outbox == []


def test_someone_on_the_waiting_list_gets_no_calendar_event(caf_workshop, sent):
    registration_create(workshop=caf_workshop, **resident(1))
    mail.outbox = []

    with sent():
        registration = registration_create(workshop=caf_workshop, **resident(2))

    assert registration.status == "waiting"
    (message,) = mail.outbox
    assert message.attachments == []


def test_nothing_is_sent_when_the_sign_up_is_rolled_back(caf_workshop, sent):
    with sent(), pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            registration_create(workshop=caf_workshop, **resident(1))
            raise RuntimeError

    assert mail.outbox == []
    assert sms.outbox == []
