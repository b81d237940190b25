"""A mail relay that hangs holds neither the sign-up page nor the worker for ever."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sessions.message_models import MessageState, OutboundMessage
from sessions.messaging import deliver
from sessions.services import stop_cancel
from tests.fake_smtp import FakeSmtp
from tests.mail import SMTP, use_mailer
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db

PRODUCTION_QUEUE = {"default": {"BACKEND": "mediation.task_queue.DatabaseBackend"}}


@pytest.fixture
def stalled_relay(settings):
    with FakeSmtp(stall=True) as relay:
        use_mailer(settings, SMTP, host="127.0.0.1", port=relay.port, timeout=5)
        yield relay


@override_settings(TASKS=PRODUCTION_QUEUE)
def test_a_stalled_relay_does_not_hold_the_sign_up_request(
    client, workshop, sent, stalled_relay, settings
):
    commune = workshop.stop.commune.name
    form = resident(1) | {"consent": "on", "waiting_list_ok": "on", "home_commune": commune}
    started = time.perf_counter()
    with sent():
        response = client.post(reverse("workshops:signup", args=[workshop.pk]), form)
    elapsed = time.perf_counter() - started

    assert response.status_code == 302
    # Sending in the request would have waited EMAIL_TIMEOUT (5 s) for the relay's greeting.
    assert elapsed < 2.5
    assert stalled_relay.connections == 0
    assert DBTaskResult.objects.filter(
        task_path="sessions.messaging.send_outbound_messages"
    ).exists()

    # The worker waits EMAIL_TIMEOUT, not for ever, then plans a retry.
    message = OutboundMessage.objects.get(channel="email")
    use_mailer(settings, SMTP, host="127.0.0.1", port=stalled_relay.port, timeout=1)
    started = time.perf_counter()
    deliver([message.pk])
    assert time.perf_counter() - started < 3
    message.refresh_from_db()
    assert message.state == MessageState.RETRYING
    assert "timed out" in message.error.lower() or "timeout" in message.error.lower()


def test_a_real_relay_receives_a_batch_over_one_connection(workshop, sent, settings):
    workshop.capacity = 10
    workshop.save()
    from sessions.services import registration_create

    for number in range(5):
        registration_create(workshop=workshop, **resident(number, phone=""), notify=False)
    with FakeSmtp() as relay:
        use_mailer(settings, SMTP, host="127.0.0.1", port=relay.port)
        with sent():
            stop_cancel(stop=workshop.stop, reason="Panne.")

    assert relay.connections == 1
    assert len(relay.messages) == 5
    assert b"METHOD:CANCEL" in relay.messages[0]
