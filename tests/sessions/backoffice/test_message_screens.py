"""Back office: a registration's message log, and a message to everyone at a stop."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions import gsm, sms
from sessions.message_models import (
    Broadcast,
    MessageState,
    OutboundMessage,
    SmsOptOut,
    phone_digest,
)
from sessions.privacy.services import personal_data_purge
from sessions.services import registration_cancel, registration_create
from tests.factories import make_coordinator, make_mediator
from tests.fake_brevo import API_KEY, FakeBrevo
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrants(workshop, sent):
    workshop.capacity = 10
    workshop.save()
    with sent():
        return [
            registration_create(workshop=workshop, **resident(1)),
            registration_create(workshop=workshop, **resident(2, email="")),
            registration_create(workshop=workshop, **resident(3, phone="")),
        ]


def refused(response) -> bool:
    # Wagtail's admin turns a permission refusal into a redirect to its dashboard.
    return (response.status_code, response.get("Location")) in {(403, None), (302, "/admin/")}


# The list of registrants no SMS or e-mail reaches, named with their number.
TO_CALL = r'<ul id="registrants-to-call"[^>]*>(.*?)</ul>'


def broadcast_url(stop) -> str:
    return reverse("workshops_stop_broadcast", args=[stop.pk])


def log_url(registration) -> str:
    return reverse("workshops_registration_messages", args=[registration.pk])


def test_marcel_registered_on_his_landline_is_not_counted_as_texted_but_as_one_to_call(
    client, workshop, registrants, sent
):
    # Marcel called from his landline and has no e-mail: the worker never texts a landline,
    # so the preview must not promise him an SMS (nor bill its segments): staff call him.
    with sent():
        registration_create(
            workshop=workshop,
            **resident(4, phone="03 22 71 80 00", email=""),
            channel="phone",
        )
    client.force_login(make_coordinator())
    response = client.post(
        broadcast_url(workshop.stop),
        {"text": "Le bus aura 30 minutes de retard.", "uuid": uuid.uuid4()},
    )

    preview = response.context["preview"]
    assert preview.recipients == 4
    assert (preview.by_sms, preview.by_email) == (2, 2)
    assert preview.total_segments == 2
    assert preview.unreachable == 1
    assert "1 inscrit ne recevra ni SMS ni e-mail" in response.content.decode()


def test_claire_reads_whom_to_call_and_their_number_before_sending_not_just_how_many(
    client, workshop, registrants, sent
):
    # Marcel gave his landline over the phone, without e-mail: "1 registrant to call" left
    # Claire searching the registrations for whom; the preview names him, with his number.
    with sent():
        registration_create(
            workshop=workshop,
            **resident(
                4, first_name="Marcel", last_name="Lefebvre", phone="03 22 71 80 00", email=""
            ),
            channel="phone",
        )
    client.force_login(make_coordinator())
    response = client.post(
        broadcast_url(workshop.stop),
        {"text": "Le bus aura 30 minutes de retard.", "uuid": uuid.uuid4()},
    )

    (to_call,) = response.context["preview"].to_call
    assert to_call.first_name == "Marcel"
    listed = re.search(TO_CALL, response.content.decode(), re.S)
    assert "Marcel Lefebvre" in listed.group(1)
    assert 'href="tel:0322718000"' in listed.group(1)
    assert workshop.module.title in listed.group(1)


def test_before_cancelling_a_stop_claire_reads_whom_to_call(client, workshop, registrants, sent):
    with sent():
        registration_create(
            workshop=workshop,
            **resident(
                4, first_name="Marcel", last_name="Lefebvre", phone="03 22 71 80 00", email=""
            ),
            channel="phone",
        )
    client.force_login(make_coordinator())
    response = client.get(reverse("workshops_stop_cancel", args=[workshop.stop.pk]))

    listed = re.search(TO_CALL, response.content.decode(), re.S)
    assert "Marcel Lefebvre" in listed.group(1)
    assert 'href="tel:0322718000"' in listed.group(1)
    assert "Dupont" not in listed.group(1)  # the others are told by SMS or e-mail


def test_a_resident_who_answered_stop_is_not_counted_as_texted_but_as_one_to_call(
    client, workshop, registrants, sent
):
    # Jeanine 2 has no e-mail and answered STOP to an earlier SMS: the worker will not text
    # her, so the preview neither promises nor bills her an SMS, and says to call her.
    SmsOptOut.objects.create(
        phone_digest=phone_digest(registrants[1].phone), reason=SmsOptOut.Reason.STOP
    )
    client.force_login(make_coordinator())
    response = client.post(
        broadcast_url(workshop.stop),
        {"text": "Le bus aura 30 minutes de retard.", "uuid": uuid.uuid4()},
    )

    preview = response.context["preview"]
    assert (preview.recipients, preview.by_sms, preview.by_email) == (3, 1, 2)
    assert preview.unreachable == 1
    assert "1 inscrit ne recevra ni SMS ni e-mail" in response.content.decode()


def test_a_coordinator_previews_the_count_and_the_sms_segments_before_sending(
    client, workshop, registrants, sent
):
    client.force_login(make_coordinator())
    key = uuid.uuid4()
    text = "Le bus aura 30 minutes de retard."
    response = client.post(broadcast_url(workshop.stop), {"text": text, "uuid": key})

    preview = response.context["preview"]
    assert preview.recipients == 3
    assert (preview.by_sms, preview.by_email) == (2, 2)
    assert preview.segments == 1
    assert preview.total_segments == 2
    assert text in preview.sms
    assert 'id="broadcast-preview"' in response.content.decode()
    assert not Broadcast.objects.exists()

    sms.outbox.clear()
    with sent():
        response = client.post(
            broadcast_url(workshop.stop),
            {"text": text, "uuid": key, "action": "send", "previewed": text},
        )
    assert response.status_code == 302
    assert sorted(m.to for m in sms.outbox) == sorted(r.phone for r in registrants if r.phone)
    assert all(m.body == preview.sms for m in sms.outbox)
    logged = OutboundMessage.objects.filter(kind="broadcast")
    assert logged.count() == 4
    assert set(logged.values_list("state", flat=True)) == {MessageState.SENT}

    # The same form sent again (a double click): nothing more leaves.
    sms.outbox.clear()
    with sent():
        client.post(
            broadcast_url(workshop.stop),
            {"text": text, "uuid": key, "action": "send", "previewed": text},
        )
    assert sms.outbox == []
    assert Broadcast.objects.count() == 1


def test_a_message_too_long_for_two_sms_is_refused_next_to_the_field(client, workshop, registrants):
    client.force_login(make_coordinator())
    response = client.post(
        broadcast_url(workshop.stop), {"text": "Retard " * 40, "uuid": uuid.uuid4()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert response.context["preview"] is None


def test_the_stops_mediator_may_message_its_registrants_another_may_not(
    client, workshop, registrants
):
    theirs, other = make_mediator("ines"), make_mediator("marc")
    workshop.stop.mediators.add(theirs)

    client.force_login(other)
    assert refused(client.get(broadcast_url(workshop.stop)))
    client.force_login(theirs)
    assert client.get(broadcast_url(workshop.stop)).status_code == 200


def test_the_workshops_to_message_read_their_hour_in_french(client, workshop):
    # Inès picks "only the 9 h 30 workshop", written as everywhere else, not "09:30".
    client.force_login(make_coordinator())
    workshop.start_time = dt.time(9, 30)
    workshop.save()

    html = client.get(broadcast_url(workshop.stop)).content.decode()

    assert f"{workshop.module.title}, 9\u00a0h\u00a030</option>" in html
    assert "09:30" not in html


def test_the_message_log_shows_what_when_by_which_channel_and_its_state(client, registrants):
    client.force_login(make_coordinator())
    listing = client.get(reverse("registrations:index"))
    assert log_url(registrants[0]) in listing.content.decode()
    stops = client.get(reverse("wagtailsnippets_mediation_stop:list"))
    assert broadcast_url(registrants[0].workshop.stop) in stops.content.decode()
    response = client.get(log_url(registrants[0]))

    assert response.status_code == 200
    log = list(response.context["log"])
    assert {(m.kind, m.channel, m.state) for m in log} == {
        ("confirmed", "email", "sent"),
        ("confirmed", "sms", "sent"),
    }
    html = response.content.decode()
    assert 'id="message-log"' in html
    assert log[0].body in html or log[1].body in html


def test_a_mediator_cannot_see_the_message_log_of_another_stops_registration(
    client, workshop, registrants
):
    theirs, other = make_mediator("ines"), make_mediator("marc")
    workshop.stop.mediators.add(theirs)

    client.force_login(other)
    assert refused(client.get(log_url(registrants[0])))
    client.force_login(theirs)
    assert client.get(log_url(registrants[0])).status_code == 200


def test_the_purge_wipes_recipients_and_texts_from_the_log_but_keeps_the_facts(
    registrants, settings
):
    days = settings.PERSONAL_DATA_RETENTION_DAYS + 2
    with time_machine.travel(registrants[0].workshop.ends_at + dt.timedelta(days=days)):
        personal_data_purge()

    log = OutboundMessage.objects.all()
    assert log.count() == 4
    assert set(log.values_list("recipient", flat=True)) == {""}
    assert set(log.values_list("body", flat=True)) == {""}
    assert set(log.values_list("subject", flat=True)) == {""}
    assert set(log.values_list("state", flat=True)) == {MessageState.SENT}


def test_coordinators_see_every_message_that_did_not_leave_mediators_do_not(client, registrants):
    failed = OutboundMessage.objects.filter(channel="sms").first()
    OutboundMessage.objects.filter(pk=failed.pk).update(
        state=MessageState.FAILED, error="402 not_enough_credits: Not enough credits"
    )
    url = reverse("workshops_undelivered_messages")

    client.force_login(make_mediator())
    assert refused(client.get(url))
    client.force_login(make_coordinator())
    response = client.get(url)
    assert [m.pk for m in response.context["log"]] == [failed.pk]
    html = response.content.decode()
    assert "Not enough credits" in html
    assert log_url(failed.registration) in html


def undelivered_url() -> str:
    return reverse("workshops_undelivered_messages")


def test_after_topping_up_claire_sends_again_what_failed_while_the_credit_ran_out_once(
    client, workshop, sent, settings
):
    # The SMS credit ran out in the evening: every attempt of Josiane's confirmation and of
    # Bernard's failed, until the worker gave up. The next morning Claire tops up the credit
    # and sends them again from "Messages non partis"; a double click sends nothing more.
    # Bernard cancelled meanwhile: his confirmation stays unsent.
    settings.MESSAGES_MAX_ATTEMPTS = 1
    settings.SMS_BACKEND = "sessions.sms.BrevoSmsBackend"
    settings.SMS_API_KEY = API_KEY
    with FakeBrevo() as brevo:
        settings.SMS_API_URL = brevo.url
        brevo.fail_next(402, "not_enough_credits", "Not enough credits")
        brevo.fail_next(402, "not_enough_credits", "Not enough credits")
        with sent():
            josiane = registration_create(
                workshop=workshop, **resident(1, first_name="Josiane", email="")
            )
            bernard = registration_create(
                workshop=workshop, **resident(2, first_name="Bernard", email="")
            )
        assert set(OutboundMessage.objects.values_list("state", flat=True)) == {MessageState.FAILED}
        assert brevo.received == []
        registration_cancel(registration=bernard, by=make_mediator("ines"))

        client.force_login(make_coordinator())
        page = client.get(undelivered_url()).content.decode()
        assert 'id="send-again"' in page
        with sent():
            response = client.post(reverse("workshops_messages_send_again"))
            client.post(reverse("workshops_messages_send_again"))

        assert response.status_code == 302
        assert [received["recipient"] for received in brevo.received] == [josiane.phone.lstrip("+")]
        assert josiane.messages.get().state == MessageState.SENT
        assert bernard.messages.get().state == MessageState.SKIPPED


def test_only_coordinators_may_send_failed_messages_again(client, workshop, sent):
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    registration.messages.update(state=MessageState.FAILED)
    client.force_login(make_mediator("ines"))

    assert refused(client.post(reverse("workshops_messages_send_again")))
    assert registration.messages.get().state == MessageState.FAILED


def test_a_message_changed_after_its_preview_is_previewed_again_not_sent(
    client, workshop, registrants, sent
):
    # Claire previews a short message, then adds a sentence and clicks "Send" at once: the
    # SMS she would send is not the one whose recipients and segments she read.
    client.force_login(make_coordinator())
    key = uuid.uuid4()
    text = "Le bus aura 30 minutes de retard."
    preview = client.post(broadcast_url(workshop.stop), {"text": text, "uuid": key})
    assert 'name="previewed"' in preview.content.decode()

    changed = text + " Nous vous attendrons jusqu’à midi, venez quand même !"
    sms.outbox.clear()
    with sent():
        response = client.post(
            broadcast_url(workshop.stop),
            {"text": changed, "uuid": key, "action": "send", "previewed": text},
        )

    assert response.status_code == 200
    assert not Broadcast.objects.exists() and sms.outbox == []
    assert gsm.to_gsm7(changed) in response.context["preview"].sms

    with sent():
        response = client.post(
            broadcast_url(workshop.stop),
            {"text": changed, "uuid": key, "action": "send", "previewed": changed},
        )
    assert response.status_code == 302
    assert Broadcast.objects.get().text == changed


def test_at_night_the_preview_says_the_sms_leave_at_eight(client, workshop, registrants, settings):
    # Claire writes at 22:00 that tomorrow's stop starts late: the e-mails leave at once,
    # the SMS wait for 8:00 (nobody is texted at night); the preview says so before she sends.
    settings.SMS_DAY_STARTS, settings.SMS_DAY_ENDS = 8, 21
    client.force_login(make_coordinator())
    late = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(22, 0)))
    with time_machine.travel(late, tick=False):
        response = client.post(
            broadcast_url(workshop.stop), {"text": "Départ à 10 h.", "uuid": uuid.uuid4()}
        )

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    morning = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(8, 0)))
    assert response.context["preview"].sms_leave_at == morning
    assert 'id="sms-wait-for-the-morning"' in response.content.decode()

    with time_machine.travel(late - dt.timedelta(hours=10), tick=False):
        response = client.post(
            broadcast_url(workshop.stop), {"text": "Départ à 10 h.", "uuid": uuid.uuid4()}
        )
    assert response.context["preview"].sms_leave_at is None
    assert 'id="sms-wait-for-the-morning"' not in response.content.decode()
