"""Signing up, the waiting list, duplicates, closed workshops and cancellations (the service)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from icalendar import Calendar

from mediation.models import StopStatus
from sessions import sms
from sessions.models import Registration, RegistrationChannel, RegistrationStatus, Workshop
from sessions.services import (
    RegistrationError,
    registration_cancel,
    registration_create,
    stop_cancel,
    workshop_fill_from_waiting_list,
)
from tests.factories import make_coordinator, make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


def test_it_confirms_while_seats_remain_then_puts_people_on_the_waiting_list(workshop):
    statuses = [registration_create(workshop=workshop, **resident(n)).status for n in range(5)]

    assert statuses == ["confirmed"] * 3 + ["waiting"] * 2
    workshop.refresh_from_db()
    assert workshop.seats_taken == 3
    assert workshop.seats_left == 0


def test_it_refuses_a_full_workshop_when_the_waiting_list_is_not_wanted(workshop):
    for n in range(3):
        registration_create(workshop=workshop, **resident(n))

    with pytest.raises(RegistrationError) as excinfo:
        registration_create(workshop=workshop, waiting_list_ok=False, **resident(9))

    assert excinfo.value.code == "full"
    assert workshop.registrations.count() == 3


def test_it_stores_the_phone_in_e164_and_the_email_in_lower_case(workshop):
    registration = registration_create(
        workshop=workshop, first_name="Marcel", phone="06 12 34 56 78", email=" Marcel@Ex.ORG "
    )

    assert registration.phone == "+33612345678"
    assert registration.email == "marcel@ex.org"
    assert registration.consent_at is not None


@pytest.mark.parametrize(
    "second",
    [
        {"phone": "06.11.22.33.44", "email": ""},
        {"phone": "", "email": "MARIE@example.org"},
        {"phone": "+33 7 81 23 45 67", "email": "marie@example.org"},
    ],
)
def test_it_refuses_the_same_person_twice_for_the_same_workshop(workshop, second):
    registration_create(
        workshop=workshop, first_name="Marie", phone="0611223344", email="marie@example.org"
    )

    with pytest.raises(RegistrationError) as excinfo:
        registration_create(workshop=workshop, first_name="Marie", **second)

    assert excinfo.value.code == "duplicate"
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


def test_someone_already_registered_hears_so_even_when_the_workshop_is_full(workshop):
    marie = registration_create(workshop=workshop, first_name="Marie", phone="0611223344")
    for n in range(2):
        registration_create(workshop=workshop, **resident(n))

    with pytest.raises(RegistrationError) as excinfo:
        registration_create(
            workshop=workshop, first_name="Marie", phone="06 11 22 33 44", waiting_list_ok=False
        )

    assert excinfo.value.code == "duplicate"
    assert list(workshop.registrations.filter(phone=marie.phone)) == [marie]


def test_a_duplicate_on_the_waiting_list_takes_nothing_and_is_refused(workshop):
    for n in range(3):
        registration_create(workshop=workshop, **resident(n))
    registration_create(workshop=workshop, first_name="Marie", email="marie@example.org")

    with pytest.raises(RegistrationError) as excinfo:
        registration_create(workshop=workshop, first_name="Marie", email="Marie@Example.org")

    assert excinfo.value.code == "duplicate"
    assert workshop.registrations.filter(email="marie@example.org").count() == 1
    workshop.refresh_from_db()
    assert workshop.seats_taken == 3


def test_it_lets_someone_sign_up_again_after_cancelling(workshop):
    first = registration_create(workshop=workshop, **resident(1))
    registration_cancel(registration=first)

    again = registration_create(workshop=workshop, **resident(1))

    assert again.status == RegistrationStatus.CONFIRMED


def test_the_database_refuses_the_same_person_twice_with_one_phone(workshop):
    Registration.objects.create(workshop=workshop, first_name="Marie", phone="+33611111111")

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(workshop=workshop, first_name="MARIE", phone="+33611111111")


def test_the_database_refuses_the_same_person_twice_with_one_email(workshop):
    Registration.objects.create(workshop=workshop, first_name="Marie", email="m@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(workshop=workshop, first_name="marie", email="m@example.org")


def test_a_couple_sharing_a_landline_both_sign_up_for_the_same_workshop(workshop):
    # Jeanine and Marcel Caron have one phone at home, and no e-mail: both want to come.
    jeanine = registration_create(
        workshop=workshop, first_name="Jeanine", last_name="Caron", phone="03 22 71 80 00"
    )
    marcel = registration_create(
        workshop=workshop, first_name="Marcel", last_name="Caron", phone="03 22 71 80 00"
    )

    assert jeanine.phone == marcel.phone == "+33322718000"
    workshop.refresh_from_db()
    assert workshop.seats_taken == 2
    # Jeanine signing up again, typed another way, is still the same person.
    with pytest.raises(RegistrationError) as excinfo:
        registration_create(
            workshop=workshop, first_name="jeanine", last_name="CARON", phone="0322718000"
        )
    assert excinfo.value.code == "duplicate"


def test_the_database_refuses_more_seats_taken_than_the_capacity(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(seats_taken=F("capacity") + 1)


def test_an_online_sign_up_needs_a_phone_or_an_email(workshop):
    with pytest.raises(RegistrationError) as excinfo:
        registration_create(workshop=workshop, first_name="Odette")

    assert excinfo.value.code == "no_contact"


@pytest.mark.parametrize(
    "setup",
    ["deadline_passed", "not_yet_open", "stop_cancelled", "workshop_passed"],
)
def test_it_refuses_sign_ups_when_they_are_closed(workshop, setup):
    now = timezone.now()
    if setup == "deadline_passed":
        workshop.signup_closes_at = now - dt.timedelta(hours=1)
    elif setup == "not_yet_open":
        workshop.signup_opens_at = now + dt.timedelta(days=1)
    elif setup == "stop_cancelled":
        workshop.stop.status = StopStatus.CANCELLED
        workshop.stop.save()
    else:
        workshop.stop.date = timezone.localdate() - dt.timedelta(days=1)
        workshop.stop.save()
    workshop.save()

    with pytest.raises(RegistrationError) as excinfo:
        registration_create(workshop=workshop, **resident(1))

    assert excinfo.value.code == "closed"
    assert not workshop.registrations.exists()
    workshop.refresh_from_db()
    assert workshop.seats_taken == 0  # the seat taken to check it went back with the refusal


def test_a_sign_up_by_the_workshops_number_reads_it_as_the_orm_would(workshop):
    """The public form passes the workshop's pk: the seat statement's dates, times and the
    stop come back typed (SQLite returns them as text), for the state and the link."""
    registration = registration_create(workshop=workshop.pk, **resident(1))

    read = registration.workshop
    assert (read.pk, read.stop_id, read.stop.pk) == (
        workshop.pk,
        workshop.stop_id,
        workshop.stop_id,
    )
    assert (read.start_time, read.end_time) == (workshop.start_time, workshop.end_time)
    assert (read.stop.date, read.stop.status) == (workshop.stop.date, workshop.stop.status)
    assert read.ends_at == workshop.ends_at and read.signup_closes_at is None
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1 and registration.status == RegistrationStatus.CONFIRMED


def test_a_sign_up_for_a_full_workshop_by_its_number_reads_it_locked(workshop):
    workshop.seats_taken = workshop.capacity
    workshop.save()

    registration = registration_create(workshop=workshop.pk, **resident(1))

    assert registration.status == RegistrationStatus.WAITING
    assert registration.workshop.stop.date == workshop.stop.date


def test_a_sign_up_for_an_unknown_workshop_number_finds_none(db):
    with pytest.raises(Workshop.DoesNotExist):
        registration_create(workshop=999_999, **resident(1))


def test_staff_can_register_a_caller_after_the_online_deadline(workshop):
    workshop.signup_closes_at = timezone.now() - dt.timedelta(hours=1)
    workshop.save()
    coordinator = make_coordinator()

    registration = registration_create(
        workshop=workshop,
        first_name="Roger",
        phone="0322000000",
        channel=RegistrationChannel.PHONE,
        created_by=coordinator,
    )

    assert registration.channel == "phone"
    assert registration.created_by == coordinator


def test_cancelling_frees_the_seat_and_promotes_the_first_on_the_waiting_list(workshop, sent):
    confirmed = [registration_create(workshop=workshop, **resident(n)) for n in range(3)]
    first_waiting = registration_create(workshop=workshop, **resident(3))
    second_waiting = registration_create(workshop=workshop, **resident(4))
    sms.outbox.clear()

    with sent():
        promoted = registration_cancel(registration=confirmed[1])

    assert promoted == [first_waiting]
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert second_waiting.status == RegistrationStatus.WAITING
    workshop.refresh_from_db()
    assert workshop.seats_taken == 3
    assert workshop.registrations.confirmed().count() == 3
    recipients = [message.to for message in sms.outbox]
    assert first_waiting.phone in recipients
    assert confirmed[1].phone in recipients
    assert second_waiting.phone not in recipients


def test_cancelling_from_the_waiting_list_takes_no_seat(workshop):
    for n in range(3):
        registration_create(workshop=workshop, **resident(n))
    waiting = registration_create(workshop=workshop, **resident(3))

    assert registration_cancel(registration=waiting) == []

    workshop.refresh_from_db()
    assert workshop.seats_taken == 3


def test_it_refuses_to_cancel_twice(workshop):
    registration = registration_create(workshop=workshop, **resident(1))
    registration_cancel(registration=registration)

    with pytest.raises(RegistrationError) as excinfo:
        registration_cancel(registration=registration)

    assert excinfo.value.code == "already_cancelled"
    workshop.refresh_from_db()
    assert workshop.seats_taken == 0


def test_a_resident_cannot_cancel_once_the_workshop_has_begun(db):
    stop = make_stop(date=timezone.localdate())
    now = timezone.localtime()
    workshop = make_workshop(
        stop=stop,
        start_time=(now - dt.timedelta(minutes=5)).time(),
        end_time=dt.time(23, 59),
    )
    registration = Registration.objects.create(
        workshop=workshop, first_name="A", phone="+33600000001"
    )

    with pytest.raises(RegistrationError) as excinfo:
        registration_cancel(registration=registration)

    assert excinfo.value.code == "too_late"


def test_added_seats_go_to_the_waiting_list_in_order(workshop):
    for n in range(5):
        registration_create(workshop=workshop, **resident(n))
    Workshop.objects.filter(pk=workshop.pk).update(capacity=4)

    assert len(workshop_fill_from_waiting_list(workshop=workshop)) == 1

    statuses = list(
        workshop.registrations.order_by("created_at", "pk").values_list("status", flat=True)
    )
    assert statuses == ["confirmed"] * 4 + ["waiting"]


def test_cancelling_a_stop_cancels_and_tells_every_registrant(sent):
    stop = make_stop()
    morning = make_workshop(stop=stop, capacity=1)
    afternoon = make_workshop(stop=stop, start_time=dt.time(11, 0), end_time=dt.time(12, 0))
    by_email = registration_create(workshop=morning, first_name="Paul", email="paul@example.org")
    waiting = registration_create(workshop=morning, first_name="Anne", phone="0611111111")
    by_phone = registration_create(workshop=afternoon, first_name="Léa", phone="0622222222")
    mail.outbox = []
    sms.outbox.clear()

    with sent():
        count = stop_cancel(stop=stop, reason="Le camion est en panne.", by=make_coordinator())

    assert count == 3
    stop.refresh_from_db()
    assert stop.status == StopStatus.CANCELLED
    assert stop.sequence == 1
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    assert list(Workshop.objects.values_list("seats_taken", flat=True)) == [0, 0]
    assert sorted(message.to for message in sms.outbox) == sorted([waiting.phone, by_phone.phone])
    assert all("Le camion est en panne." in message.body for message in sms.outbox)
    assert [message.to for message in mail.outbox] == [[by_email.email]]
    name, content, mimetype = mail.outbox[0].attachments[0]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert mimetype.startswith("text/calendar")
    assert str(event["STATUS"]) == "CANCELLED"
    # Higher than the stop's new sequence, which is higher than the confirmation's.
    assert event["SEQUENCE"] == 2


def test_a_stop_cannot_be_cancelled_twice(db):
    stop = make_stop()
    stop_cancel(stop=stop, reason="Panne")

    with pytest.raises(RegistrationError) as excinfo:
        stop_cancel(stop=stop, reason="Encore")

    assert excinfo.value.code == "already_cancelled"
    stop.refresh_from_db()
    assert stop.sequence == 1
