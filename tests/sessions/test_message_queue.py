"""Messages leave through the queue: logged, after commit, retried, stopped, opted out."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from sessions import sms
from sessions.message_models import MessageState, OutboundMessage, SmsOptOut
from sessions.messaging import enqueue_after_commit
from sessions.services import registration_cancel, registration_create, reminders_send
from tests.factories import make_workshop
from tests.fake_brevo import API_KEY, FakeBrevo
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "mediation.task_queue.DatabaseBackend"}}


@pytest.fixture
def brevo(settings):
    with FakeBrevo() as fake:
        settings.SMS_BACKEND = "sessions.sms.BrevoSmsBackend"
        settings.SMS_API_URL = fake.url
        settings.SMS_API_KEY = API_KEY
        settings.SMS_SENDER = "BusSomme"
        settings.SMS_TIMEOUT = 2
        yield fake


def sweep() -> None:
    call_command("send_pending_messages", stdout=io.StringIO())


def test_a_rolled_back_sign_up_sends_nothing_and_leaves_no_log(workshop, sent):
    with sent(), pytest.raises(RuntimeError), transaction.atomic():
        registration_create(workshop=workshop, **resident(1))
        raise RuntimeError("the page crashed after the sign-up")

    assert sms.outbox == []
    assert mail.outbox == []
    assert not OutboundMessage.objects.exists()


def test_a_sign_up_is_logged_per_channel_and_sent_once_committed(workshop, sent):
    with sent():
        registration = registration_create(workshop=workshop, **resident(1))
        assert sms.outbox == [] and mail.outbox == []

    log = {m.channel: m for m in OutboundMessage.objects.for_registration(registration)}
    assert set(log) == {"email", "sms"}
    assert {m.state for m in log.values()} == {MessageState.SENT}
    assert log["sms"].body == sms.outbox[0].body
    assert log["email"].subject == mail.outbox[0].subject
    assert log["email"].sent_at is not None


@override_settings(TASKS=DATABASE_QUEUE)
def test_with_the_database_queue_the_request_only_enqueues_one_task(workshop, sent):
    with sent():
        registration = registration_create(workshop=workshop, **resident(1))

    assert sms.outbox == [] and mail.outbox == []
    (task,) = DBTaskResult.objects.filter(task_path="sessions.messaging.send_outbound_messages")
    assert len(task.args_kwargs["args"][0]) == 2  # both channels in one task
    assert set(registration.messages.values_list("state", flat=True)) == {MessageState.QUEUED}


def test_a_temporary_provider_error_is_retried_and_then_sent(workshop, sent, brevo):
    brevo.fail_next(503, "service_unavailable", "Service temporarily unavailable")
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))

    (message,) = registration.messages.all()
    assert message.state == MessageState.RETRYING
    assert "503" in message.error and "unavailable" in message.error
    assert brevo.received == []

    sweep()  # not due yet: nothing happens
    message.refresh_from_db()
    assert message.state == MessageState.RETRYING

    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        sweep()
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.attempts == 2
    assert message.error == ""
    assert message.provider_id == "1511882900176220"
    (received,) = brevo.received
    assert received["recipient"] == "33600000001"
    assert received["sender"] == "BusSomme"
    assert received["content"] == message.body


def test_a_permanent_error_stops_at_once_and_the_number_is_not_sent_more(workshop, sent, brevo):
    brevo.fail_next(400, "invalid_parameter", "Invalid recipient number")
    with sent():
        first = registration_create(workshop=workshop, **resident(1, email=""))

    (message,) = first.messages.all()
    assert message.state == MessageState.FAILED
    assert "invalid_parameter" in message.error
    assert message.attempts == 1
    assert SmsOptOut.blocks(first.phone)

    other_workshop = make_workshop(
        stop=first.workshop.stop, start_time=dt.time(11, 0), end_time=dt.time(12, 0)
    )
    with sent():
        second = registration_create(workshop=other_workshop, **resident(1, email=""))

    (skipped,) = second.messages.all()
    assert skipped.state == MessageState.SKIPPED
    assert brevo.received == []


def test_after_the_last_attempt_a_temporary_error_becomes_a_failure(
    workshop, sent, brevo, settings
):
    settings.MESSAGES_MAX_ATTEMPTS = 2
    for _attempt in range(2):
        brevo.fail_next(502, "bad_gateway", "Upstream error")
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    (message,) = registration.messages.all()
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        sweep()

    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.attempts == 2
    assert "502" in message.error


@override_settings(TASKS=DATABASE_QUEUE)
def test_with_the_database_queue_a_retry_is_a_deferred_task(workshop, sent, brevo):
    from sessions.messaging import deliver

    brevo.fail_next(429, "too_many_requests", "Rate limit exceeded")
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    (message,) = registration.messages.all()

    deliver([message.pk])

    message.refresh_from_db()
    assert message.state == MessageState.RETRYING
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.run_after == message.next_attempt_at
    assert retry.run_after > timezone.now()


def test_a_resident_who_answers_stop_gets_no_more_sms(workshop, sent, brevo, client, settings):
    settings.SMS_WEBHOOK_TOKEN = "hook-secret-123"
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    assert len(brevo.received) == 1

    event = {
        "id": 26570,
        "to": "33600000001",
        "msg_status": "replied",
        "reply": "Stop",
        "messageId": 1511882900176220,
        "type": "transactional",
    }
    url = reverse("workshops:sms_webhook", args=["hook-secret-123"])
    response = client.post(url, json.dumps(event), content_type="application/json")
    assert response.status_code == 200

    with sent():
        enqueue_after_commit(
            channel="sms", recipient=registration.phone, body="Le bus a du retard."
        )
    assert len(brevo.received) == 1
    skipped = OutboundMessage.objects.get(body="Le bus a du retard.")
    assert skipped.state == MessageState.SKIPPED


@pytest.mark.parametrize(
    "reply", ["STOP.", "Stop merci", "stop svp !", "Arrêt", " STOP SMS ", "Désinscription"]
)
def test_a_stop_reply_written_with_politeness_or_punctuation_is_honoured(
    reply, client, settings, db
):
    settings.SMS_WEBHOOK_TOKEN = "hook-secret-123"
    event = {"to": "33600000001", "msg_status": "replied", "reply": reply}
    url = reverse("workshops:sms_webhook", args=["hook-secret-123"])

    response = client.post(url, json.dumps(event), content_type="application/json")

    assert response.status_code == 200
    assert SmsOptOut.blocks("+33600000001")


@pytest.mark.parametrize("number", ["33600000001", "+33600000001", "0600000001", "0033600000001"])
def test_a_stop_reply_is_honoured_whichever_way_the_number_is_written(number, client, settings, db):
    # "0600000001" became "+0600000001", an invalid number: the STOP was dropped with a log
    # line and Josiane kept receiving reminders.
    settings.SMS_WEBHOOK_TOKEN = "hook-secret-123"
    event = {"to": number, "msg_status": "replied", "reply": "STOP"}
    url = reverse("workshops:sms_webhook", args=["hook-secret-123"])

    client.post(url, json.dumps(event), content_type="application/json")

    assert SmsOptOut.blocks("+33600000001")


@pytest.mark.parametrize("reply", ["Merci, à mardi", "Je ne peux pas stopper", "OK"])
def test_an_ordinary_reply_is_not_an_opt_out(reply, client, settings, db):
    settings.SMS_WEBHOOK_TOKEN = "hook-secret-123"
    event = {"to": "33600000001", "msg_status": "replied", "reply": reply}
    url = reverse("workshops:sms_webhook", args=["hook-secret-123"])

    client.post(url, json.dumps(event), content_type="application/json")

    assert not SmsOptOut.objects.exists()


def test_the_webhook_refuses_a_wrong_token(client, settings, db):
    settings.SMS_WEBHOOK_TOKEN = "hook-secret-123"
    url = reverse("workshops:sms_webhook", args=["guess"])
    event = {"to": "33600000001", "msg_status": "unsubscribe"}
    response = client.post(url, json.dumps(event), content_type="application/json")
    assert response.status_code == 404
    assert not SmsOptOut.objects.exists()


def test_a_delivery_report_marks_the_message_delivered(workshop, sent, brevo, client, settings):
    settings.SMS_WEBHOOK_TOKEN = "hook-secret-123"
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    (message,) = registration.messages.all()
    url = reverse("workshops:sms_webhook", args=["hook-secret-123"])
    event = {"to": "33600000001", "msg_status": "delivered", "messageId": message.provider_id}
    client.post(url, json.dumps(event), content_type="application/json")

    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED


def test_a_wrong_api_key_is_a_permanent_failure_with_the_providers_words(
    workshop, sent, brevo, settings
):
    settings.SMS_API_KEY = "wrong"
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    (message,) = registration.messages.all()
    assert message.state == MessageState.FAILED
    assert message.error == "401 unauthorized: Key not found"


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_message_whose_task_was_lost_is_queued_again_by_the_sweeper(workshop, sent):
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    DBTaskResult.objects.all().delete()  # the queue lost it (restored backup, outage)
    (message,) = registration.messages.all()

    sweep()
    assert not DBTaskResult.objects.exists()  # too recent: its task may still be on its way
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        sweep()
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"][0] == [message.pk]


def test_a_reminder_retried_after_jeanine_cancelled_is_not_sent(workshop, sent, brevo):
    # The reminder hits a provider outage and waits for its retry; meanwhile Jeanine
    # cancels and gets her receipt. The retry must not then tell her "Reminder… Cancel:".
    with sent():
        registration = registration_create(workshop=workshop, **resident(1, email=""))
    brevo.fail_next(503, "service_unavailable", "Service temporarily unavailable")
    two_days_before = dt.datetime.combine(
        workshop.stop.date - dt.timedelta(days=2),
        dt.time(9, 0),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(two_days_before, tick=False), sent():
        reminders_send()
    reminder = registration.messages.get(kind="reminder")
    assert reminder.state == MessageState.RETRYING
    with time_machine.travel(two_days_before + dt.timedelta(minutes=5)), sent():
        registration_cancel(registration=registration)
    received = len(brevo.received)

    with time_machine.travel(reminder.next_attempt_at + dt.timedelta(seconds=1)):
        sweep()

    reminder.refresh_from_db()
    assert reminder.state == MessageState.SKIPPED
    assert "cancelled" in reminder.error
    assert len(brevo.received) == received
    assert "annulée" in brevo.received[-1]["content"]  # her receipt was the last word


def test_a_waiting_list_receipt_retried_after_josiane_got_a_seat_is_not_sent(workshop, sent, brevo):
    # Josiane's "waiting list" SMS hits a provider outage; before its retry, Alice cancels
    # and Josiane gets the seat ("a seat freed up"). The retry must not then tell her she
    # is on the waiting list, after the news that she is not.
    workshop.capacity = 1
    workshop.save()
    with sent():
        alice = registration_create(workshop=workshop, **resident(1, email=""))
    brevo.fail_next(503, "service_unavailable", "Service temporarily unavailable")
    with sent():
        josiane = registration_create(
            workshop=workshop, **resident(2, first_name="Josiane", email="")
        )
    waiting = josiane.messages.get(kind="waiting")
    assert waiting.state == MessageState.RETRYING
    with sent():
        registration_cancel(registration=alice)
    assert josiane.messages.get(kind="promoted").state == MessageState.SENT

    with time_machine.travel(waiting.next_attempt_at + dt.timedelta(seconds=1)):
        sweep()

    waiting.refresh_from_db()
    assert waiting.state == MessageState.SKIPPED
    assert "liste" not in brevo.received[-1]["content"].lower()


def test_the_cancellation_receipt_itself_still_leaves(workshop, sent):
    with sent():
        registration = registration_create(workshop=workshop, **resident(2))
        registration_cancel(registration=registration)

    states = dict(registration.messages.filter(kind="cancelled").values_list("channel", "state"))
    assert states == {"email": MessageState.SENT, "sms": MessageState.SENT}


def test_marcel_signed_up_by_phone_with_his_landline_gets_no_sms_but_his_e_mail(
    workshop, sent, brevo
):
    # Staff take Marcel's sign-up over the phone, on his landline: they may call him back,
    # but no SMS can reach it; the provider is not asked, the log says why.
    with sent():
        registration = registration_create(workshop=workshop, **resident(3, phone="03 22 71 80 00"))

    log = {m.channel: m for m in registration.messages.all()}
    assert log["sms"].state == MessageState.SKIPPED
    assert "not a mobile" in log["sms"].error
    assert log["email"].state == MessageState.SENT
    assert brevo.received == []
    assert not SmsOptOut.objects.exists()


def test_gisele_gave_the_09_number_of_her_internet_box_and_is_not_texted(workshop, sent, brevo):
    # Gisèle's home phone is her box's "09" line: VoIP, a landline to her and to the
    # provider. Like Marcel's 03, it gets no SMS, and the log says why.
    with sent():
        registration = registration_create(workshop=workshop, **resident(4, phone="09 70 12 34 56"))

    log = {m.channel: m for m in registration.messages.all()}
    assert log["sms"].state == MessageState.SKIPPED
    assert "not a mobile" in log["sms"].error
    assert brevo.received == []


def test_a_sign_up_with_a_number_abroad_is_not_texted_and_the_log_says_why(workshop, sent, brevo):
    # Texts abroad are where SMS pumping bills the sender: a sign-up with a Belgian mobile
    # is kept (staff phone it), its e-mail leaves, and the provider is never asked.
    with sent():
        registration = registration_create(
            workshop=workshop, **resident(5, phone="+32 470 12 34 56")
        )

    log = {m.channel: m for m in registration.messages.all()}
    assert log["sms"].state == MessageState.SKIPPED
    assert "abroad" in log["sms"].error
    assert "France" in str(log["sms"].reason_display)  # what staff read, in French
    assert log["email"].state == MessageState.SENT
    assert brevo.received == []


def test_a_stranger_signing_jeanine_up_everywhere_cannot_flood_her_phone_and_inbox(sent):
    # Someone types Jeanine's number and e-mail into ten sign-ups, one workshop after the
    # other. The registrations stand (staff see them), but only the day's allowance of
    # receipts reaches her, by each channel; the log tells staff why the rest did not.
    from sessions.message_models import WorkerReason
    from sessions.messaging import RECEIPTS_PER_CONTACT_A_DAY
    from tests.factories import make_stop

    jeanine = resident(1)
    workshops = [
        make_workshop(stop=make_stop(date=timezone.localdate() + dt.timedelta(days=day)))
        for day in range(3, 3 + RECEIPTS_PER_CONTACT_A_DAY + 2)
    ]
    with sent():
        for workshop in workshops:
            registration_create(workshop=workshop, **jeanine)
        registration_create(workshop=workshops[0], **resident(2))  # her neighbour

    assert len([m for m in sms.outbox if m.to == jeanine["phone"]]) == RECEIPTS_PER_CONTACT_A_DAY
    assert len([m for m in mail.outbox if jeanine["email"] in m.to]) == RECEIPTS_PER_CONTACT_A_DAY
    skipped = OutboundMessage.objects.filter(state=MessageState.SKIPPED)
    assert skipped.count() == 4  # two sign-ups, by SMS and by e-mail
    assert {m.error for m in skipped} == {WorkerReason.TOO_MANY_RECEIPTS}
    assert {m.recipient for m in skipped} == {jeanine["phone"], jeanine["email"]}
    # The allowance is Jeanine's, not everyone's: her neighbour is told as usual.
    assert any(m.to == resident(2)["phone"] for m in sms.outbox)


def test_a_cancelled_stop_at_le_crotoy_is_told_au_crotoy_by_sms():
    from mediation.models import Branding
    from sessions.message_models import MessageKind
    from sessions.notifications import frame_sms, sms_template

    values = {"date": "mardi 8 décembre 2026", "commune": "Le Crotoy", "module": "Ameli"}
    with translation.override("fr"):
        fitted = frame_sms(sms_template(MessageKind.STOP_CANCELLED, {}), values, Branding.load())

    assert "au Crotoy" in fitted.text and "à Le Crotoy" not in fitted.text
