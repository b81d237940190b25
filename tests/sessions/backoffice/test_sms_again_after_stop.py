"""Odile once answered STOP to our SMS; she signs up again, then asks for SMS again.

The confirmation page no longer tells her "we have sent you this information" when no SMS
could leave: it says why and how to get SMS again. Claire (coordinator), on the phone with
her, reads on the registration's messages that the number answered STOP and lifts it; the
next messages leave, and the registration's history says who did it. A number the provider
itself refuses cannot be lifted by staff.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sessions import sms
from sessions.links import personal_link
from sessions.message_models import SmsOptOut, phone_digest
from sessions.services import registration_create, reminders_send
from tests.factories import make_coordinator, make_mediator
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db

ODILE_MOBILE = "+33612340099"


@pytest.fixture
def odile(workshop, sent):
    SmsOptOut.objects.create(phone_digest=phone_digest(ODILE_MOBILE), reason=SmsOptOut.Reason.STOP)
    with sent():
        return registration_create(
            workshop=workshop,
            **resident(9, first_name="Odile", phone=ODILE_MOBILE, email=""),
        )


def messages_url(registration) -> str:
    return reverse("workshops_registration_messages", args=[registration.pk])


def lift_url(registration) -> str:
    return reverse("workshops_registration_sms_again", args=[registration.pk])


def test_odile_s_confirmation_page_does_not_claim_an_sms_was_sent(client, odile):
    page = client.get(personal_link(odile).path).content.decode()

    assert ODILE_MOBILE not in [message.to for message in sms.outbox]
    assert 'id="message-sent"' not in page
    assert 'id="sms-refused"' in page
    assert "vous ne recevez plus nos SMS" in page
    assert "notez le jour, l’heure et le lieu" in page


def test_claire_reads_that_odile_answered_stop_and_gives_her_sms_back(client, odile, sent):
    claire = make_coordinator("claire")
    client.force_login(claire)

    page = client.get(messages_url(odile)).content.decode()
    assert 'id="sms-opted-out"' in page
    assert "a répondu STOP" in page

    response = client.post(lift_url(odile), follow=True)

    assert response.status_code == 200
    assert not SmsOptOut.blocks(ODILE_MOBILE)
    assert "Odile recevra à nouveau les SMS" in response.content.decode()
    history = client.get(reverse("registrations:history", args=[odile.pk])).content.decode()
    assert "SMS rétablis" in history
    # Her reminder, the day before, now leaves by SMS.
    sms.outbox.clear()
    eve = dt.datetime.combine(odile.workshop.stop.date, dt.time(10)) - dt.timedelta(days=1)
    with time_machine.travel(eve.replace(tzinfo=dt.UTC), tick=False), sent():
        reminders_send()
    assert ODILE_MOBILE in [message.to for message in sms.outbox]


def test_a_number_the_provider_refuses_is_not_lifted_by_staff(client, workshop, sent):
    SmsOptOut.objects.create(
        phone_digest=phone_digest(ODILE_MOBILE), reason=SmsOptOut.Reason.REFUSED
    )
    with sent():
        odile = registration_create(
            workshop=workshop, **resident(9, first_name="Odile", phone=ODILE_MOBILE, email="")
        )
    client.force_login(make_coordinator("claire"))

    page = client.get(messages_url(odile)).content.decode()
    client.post(lift_url(odile))

    assert 'id="sms-again"' not in page
    assert SmsOptOut.blocks(ODILE_MOBILE)


def test_a_mediator_of_other_stops_cannot_lift_odile_s_stop(client, odile):
    client.force_login(make_mediator("olivier"))

    response = client.post(lift_url(odile))

    assert response.status_code in {302, 403, 404}
    assert SmsOptOut.blocks(ODILE_MOBILE)
