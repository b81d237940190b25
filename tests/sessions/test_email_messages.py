"""E-mails: an HTML part, Reply-To the operator, one connection per batch, a real cancellation."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from icalendar import Calendar

from mediation.ical import workshop_uid
from mediation.models import Branding
from sessions.links import personal_link
from sessions.message_models import MessageState, OutboundMessage
from sessions.services import registration_cancel, registration_create, stop_cancel
from tests.mail import use_mailer
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def branding():
    branding = Branding.load()
    branding.contact_email = "contact@bus-numerique.example.org"
    branding.contact_phone = "03 22 00 00 00"
    branding.save()
    return branding


def test_the_confirmation_has_a_text_and_an_html_part_and_replies_go_to_the_operator(
    workshop, sent, branding
):
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, phone=""))

    (email,) = mail.outbox
    assert email.reply_to == ["contact@bus-numerique.example.org"]
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert personal_link(registration).url in html
    assert workshop.module.title in html
    assert personal_link(registration).url in email.body


def ics_of(email) -> Calendar:
    (name, content, mimetype) = email.attachments[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_a_cancellation_removes_the_event_from_the_residents_calendar(workshop, sent, branding):
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, phone=""))
    confirmation = ics_of(mail.outbox[0]).walk("VEVENT")[0]

    with sent():
        registration_cancel(registration=registration)

    cancellation = mail.outbox[1]
    calendar = ics_of(cancellation)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == str(confirmation["UID"]) == workshop_uid(workshop.pk)
    assert event["SEQUENCE"] > confirmation["SEQUENCE"]
    assert str(event["STATUS"]) == "CANCELLED"
    # Already cancelled: the e-mail no longer invites to cancel.
    assert personal_link(registration).url not in cancellation.body
    assert personal_link(registration).url not in cancellation.alternatives[0][0]


def test_a_stop_cancellation_also_cancels_with_a_higher_sequence(workshop, sent, branding):
    with sent():
        registration_create(workshop=workshop, **resident(1, phone=""))
    confirmation = ics_of(mail.outbox[0]).walk("VEVENT")[0]

    with sent():
        stop_cancel(stop=workshop.stop, reason="Panne du camion.")

    calendar = ics_of(mail.outbox[1])
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == str(confirmation["UID"])
    assert event["SEQUENCE"] > confirmation["SEQUENCE"]
    assert "Panne du camion." in mail.outbox[1].body


class CountingBackend(EmailBackend):
    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return super().open()


def test_a_stop_cancellation_sends_its_emails_over_one_connection(workshop, sent, settings):
    use_mailer(settings, "tests.sessions.test_email_messages.CountingBackend")
    workshop.capacity = 10
    workshop.save()
    for number in range(6):
        registration_create(workshop=workshop, **resident(number, phone=""), notify=False)
    CountingBackend.opened = 0

    with sent():
        stop_cancel(stop=workshop.stop, reason="")

    assert len(mail.outbox) == 6
    assert CountingBackend.opened == 1
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}
