"""No SMS wakes anyone up: what a resident did not just ask for waits for 8:00 (Paris).

Josiane, 78, signed up by phone with only her mobile and waits for a seat at Rue. Alice
cancels her own seat from her link at 23:30: Alice's receipt answers what she just did and
leaves at once; Josiane's "a seat freed up" waits for 8:00, across the change of hour too.
A reminder that failed at 20:50 and leaves the next morning, on the workshop's own day,
says "today", never "tomorrow".
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone, translation

from mediation.models import PARIS
from sessions import sms
from sessions.alerts import stop_alert_create, stop_alerts_send_due
from sessions.message_models import MessageKind, MessageState, OutboundMessage
from sessions.notifications import compose
from sessions.services import registration_cancel, registration_create, reminders_send
from tests.factories import make_commune, make_stop, make_workshop
from tests.fake_brevo import API_KEY, FakeBrevo
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_hours(settings):
    """SMS from 8:00 to 21:00, as in production (other tests send at any hour)."""
    settings.SMS_DAY_STARTS, settings.SMS_DAY_ENDS = 8, 21


def sweep() -> None:
    """The cron's `send_pending_messages`: what is due leaves (the worker runs at once here)."""
    call_command("send_pending_messages", stdout=io.StringIO())


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


def full_workshop_with_josiane_waiting(sent, *, signed_up_at, stop_date):
    with time_machine.travel(signed_up_at, tick=False), sent():
        workshop = make_workshop(stop=make_stop(date=stop_date), capacity=1)
        alice = registration_create(workshop=workshop, **resident(1, email=""))
        josiane = registration_create(
            workshop=workshop, **resident(2, first_name="Josiane", email="")
        )
    sms.outbox.clear()
    return alice, josiane


@pytest.mark.parametrize(
    "late_evening, morning_in_utc",
    [
        # An ordinary night: 8:00 in Paris is 7:00 UTC in winter.
        (paris(2026, 12, 1, 23, 30), dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)),
        # The night clocks go forward (28 March 2027): 8:00 in Paris is 6:00 UTC.
        (paris(2027, 3, 27, 23, 30), dt.datetime(2027, 3, 28, 6, 0, tzinfo=dt.UTC)),
        # The night clocks go back (31 October 2027): 8:00 in Paris is 7:00 UTC.
        (paris(2027, 10, 30, 23, 30), dt.datetime(2027, 10, 31, 7, 0, tzinfo=dt.UTC)),
    ],
)
def test_josiane_promoted_at_night_is_texted_at_eight_her_time_alice_at_once(
    sent, late_evening, morning_in_utc
):
    alice, josiane = full_workshop_with_josiane_waiting(
        sent,
        signed_up_at=late_evening - dt.timedelta(days=3),
        stop_date=late_evening.date() + dt.timedelta(days=5),
    )

    with time_machine.travel(late_evening, tick=False), sent():
        registration_cancel(registration=alice)

    assert [message.to for message in sms.outbox] == [alice.phone]  # her own receipt
    seat = OutboundMessage.objects.get(registration=josiane, kind=MessageKind.PROMOTED)
    assert seat.state == MessageState.RETRYING
    assert seat.next_attempt_at == morning_in_utc
    assert seat.attempts == 0  # waiting for the morning is no failed attempt

    for hour in (1, 4, 7):  # the hourly sweeper at night leaves it alone
        with time_machine.travel(late_evening + dt.timedelta(hours=hour), tick=False):
            sweep()
    assert [message.to for message in sms.outbox] == [alice.phone]

    with time_machine.travel(morning_in_utc + dt.timedelta(minutes=5), tick=False):
        sweep()
    assert [message.to for message in sms.outbox] == [alice.phone, josiane.phone]
    seat.refresh_from_db()
    assert seat.state == MessageState.SENT


def test_a_confirmation_whose_provider_failed_is_not_retried_in_the_night(sent, settings):
    with FakeBrevo() as brevo:
        settings.SMS_BACKEND = "sessions.sms.BrevoSmsBackend"
        settings.SMS_API_URL = brevo.url
        settings.SMS_API_KEY = API_KEY
        brevo.fail_next(503, "service_unavailable", "Service temporarily unavailable")
        workshop = make_workshop(stop=make_stop(date=dt.date(2026, 12, 10)))
        with time_machine.travel(paris(2026, 12, 1, 22, 50), tick=False), sent():
            registration = registration_create(workshop=workshop, **resident(1, email=""))
        (message,) = registration.messages.all()
        assert message.state == MessageState.RETRYING

        with time_machine.travel(paris(2026, 12, 1, 23, 30), tick=False):
            sweep()
        assert brevo.received == []
        message.refresh_from_db()
        assert message.next_attempt_at == paris(2026, 12, 2, 8, 0)

        with time_machine.travel(paris(2026, 12, 2, 8, 0), tick=False):
            sweep()
        assert len(brevo.received) == 1


def test_a_reminder_for_tomorrow_that_leaves_on_the_day_itself_says_today(sent, settings):
    workshop = make_workshop(
        stop=make_stop(date=dt.date(2026, 12, 9)),
        start_time=dt.time(14, 0),
        end_time=dt.time(16, 0),
    )
    with time_machine.travel(paris(2026, 12, 1, 10, 0), tick=False), sent():
        josiane = registration_create(workshop=workshop, **resident(2, email=""))
    # The SMS provider is down all evening: the reminder queued at 20:50 leaves at 8:00.
    settings.SMS_BACKEND = "sessions.sms.BrevoSmsBackend"
    settings.SMS_API_URL = "http://127.0.0.1:9/nowhere"
    settings.SMS_API_KEY = API_KEY
    with time_machine.travel(paris(2026, 12, 8, 20, 50), tick=False), sent():
        reminders_send()
    reminder = OutboundMessage.objects.get(registration=josiane, kind=MessageKind.REMINDER)
    assert reminder.state == MessageState.RETRYING

    settings.SMS_BACKEND = "sessions.sms.LocmemSmsBackend"
    sms.outbox.clear()
    with time_machine.travel(paris(2026, 12, 9, 8, 0), tick=False), translation.override("en"):
        sweep()
    (text,) = [message.body for message in sms.outbox]
    assert "today at 2 pm" in text.lower() or "today at 14" in text.lower()
    assert "tomorrow" not in text.lower()


@time_machine.travel(paris(2026, 12, 9, 14, 30), tick=False)
def test_a_reminder_still_queued_once_the_workshop_began_is_not_sent(db):
    workshop = make_workshop(
        stop=make_stop(date=dt.date(2026, 12, 9)),
        start_time=dt.time(14, 0),
        end_time=dt.time(16, 0),
    )
    josiane = workshop.registrations.create(
        **resident(2, email=""), status="confirmed", consent_at=timezone.now()
    )
    message = OutboundMessage(
        registration=josiane, kind=MessageKind.REMINDER, channel="sms", params={"days": 1}
    )
    with translation.override("en"):
        text = compose(message).sms
    assert "tomorrow" not in text.lower()

    OutboundMessage.objects.create(
        registration=josiane,
        kind=MessageKind.REMINDER,
        channel="sms",
        recipient=josiane.phone,
        params={"days": 1},
        created_at=timezone.now() - dt.timedelta(hours=18),
    )
    OutboundMessage.objects.update(created_at=timezone.now() - dt.timedelta(hours=18))
    sweep()
    assert sms.outbox == []
    assert OutboundMessage.objects.get().state == MessageState.SKIPPED


def test_odettes_alert_code_leaves_at_once_but_the_nightly_announcement_waits(sent):
    home = make_commune(
        name="Presville", slug="presville", latitude=Decimal("50"), longitude=Decimal("2.3")
    )
    with time_machine.travel(paris(2026, 12, 1, 22, 30), tick=False), sent():
        alert = stop_alert_create(commune=home, radius_km=20, phone="06 12 34 56 78", consent=True)
    (code_sms,) = sms.outbox
    assert re.search(r"\b\d{6}\b", code_sms.body)

    alert.confirmed_at = paris(2026, 12, 1, 22, 35)
    alert.save()
    with time_machine.travel(paris(2026, 12, 2, 3, 0), tick=False):
        make_stop(commune=home, date=dt.date(2026, 12, 15))
        with sent():
            assert stop_alerts_send_due() == 1
    assert len(sms.outbox) == 1
    with time_machine.travel(paris(2026, 12, 2, 8, 1), tick=False):
        sweep()
    assert len(sms.outbox) == 2
