"""Reminders two days and one day before, sent by a cron command that never sends twice."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from mediation.models import PARIS
from sessions import sms
from sessions.models import Registration
from sessions.services import registration_cancel, registration_create
from tests.factories import make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db

MONDAY_MORNING = dt.datetime(2030, 3, 4, 8, 0, tzinfo=PARIS)


def run() -> str:
    """One cron run; its messages leave when it commits (the worker sends at once here)."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def wednesday_workshop():
    with time_machine.travel(MONDAY_MORNING - dt.timedelta(days=10), tick=False):
        workshop = make_workshop(stop=make_stop(date=dt.date(2030, 3, 6)), capacity=2)
        confirmed = registration_create(workshop=workshop, **resident(1, email=""))
        by_email = registration_create(workshop=workshop, **resident(2, phone=""))
        waiting = registration_create(workshop=workshop, **resident(3, email=""))
    return workshop, confirmed, by_email, waiting


def test_it_reminds_two_days_before_then_one_day_before_once_each(wednesday_workshop):
    workshop, confirmed, by_email, waiting = wednesday_workshop

    with time_machine.travel(MONDAY_MORNING, tick=False):
        run()
        run()
    assert [message.to for message in sms.outbox] == [confirmed.phone]
    assert [message.to for message in mail.outbox] == [[by_email.email]]
    assert mail.outbox[0].attachments[0][0].endswith(".ics")

    with time_machine.travel(MONDAY_MORNING + dt.timedelta(days=1), tick=False):
        run()
    with time_machine.travel(MONDAY_MORNING + dt.timedelta(days=1, hours=6), tick=False):
        run()
    assert [message.to for message in sms.outbox] == [confirmed.phone, confirmed.phone]
    assert len(mail.outbox) == 2
    assert waiting.phone not in [message.to for message in sms.outbox]
    confirmed.refresh_from_db()
    assert confirmed.reminded_two_days_at is not None
    assert confirmed.reminded_one_day_at is not None


def test_it_does_not_remind_cancelled_registrations_or_cancelled_stops(wednesday_workshop):
    workshop, confirmed, by_email, waiting = wednesday_workshop
    with time_machine.travel(MONDAY_MORNING - dt.timedelta(days=1), tick=False):
        registration_cancel(registration=confirmed)
    Registration.objects.filter(pk=waiting.pk).update(status="cancelled")
    sms.outbox.clear()
    mail.outbox = []

    with time_machine.travel(MONDAY_MORNING, tick=False):
        output = run()

    assert sms.outbox == []
    assert [message.to for message in mail.outbox] == [[by_email.email]]
    assert output.startswith("1 ")


@time_machine.travel(MONDAY_MORNING + dt.timedelta(hours=10), tick=False)
def test_a_late_sign_up_gets_only_the_one_day_reminder(db):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    workshop = make_workshop(
        stop=make_stop(date=tomorrow), start_time=dt.time(23, 0), end_time=dt.time(23, 30)
    )
    registration = registration_create(workshop=workshop, **resident(1, email=""))
    sms.outbox.clear()

    run()
    run()

    assert [message.to for message in sms.outbox] == [registration.phone]
    registration.refresh_from_db()
    assert registration.reminded_two_days_at is None


def test_the_cron_run_after_midnight_waits_for_the_morning(wednesday_workshop):
    # The timer runs every hour: at 00:05 the Wednesday workshop is two days away, yet
    # nobody should be texted at midnight. The 8:05 run sends the reminders.
    workshop, confirmed, by_email, waiting = wednesday_workshop
    sms.outbox.clear()
    mail.outbox = []
    monday = MONDAY_MORNING.replace(hour=0, minute=5)

    for hour in range(8):
        with time_machine.travel(monday + dt.timedelta(hours=hour), tick=False):
            assert run().startswith("0 ")
    assert sms.outbox == [] and mail.outbox == []

    with time_machine.travel(monday + dt.timedelta(hours=8), tick=False):
        run()
    assert [message.to for message in sms.outbox] == [confirmed.phone]

    # Nor at 22:05 on Tuesday for Wednesday: Tuesday's 8:05 run had done it.
    sms.outbox.clear()
    with time_machine.travel(monday + dt.timedelta(days=1, hours=22), tick=False):
        assert run().startswith("0 ")
    assert sms.outbox == []
