"""Marcel (78, no e-mail) calls Claudine: he cannot come on Tuesday morning, can he come in the
afternoon? She moves his registration in one step: his seat in the morning goes to the first
on its waiting list, he keeps his needs, and nothing changes if the afternoon cannot take him."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Registration, RegistrationChannel, RegistrationStatus
from sessions.services import RegistrationError, registration_create, registration_move
from tests.factories import make_coordinator, make_mediator, make_module, make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_the_workshops(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, tzinfo=timezone.get_current_timezone()))


@pytest.fixture
def tuesday():
    stop = make_stop(date=dt.date(2026, 12, 8), start_time=dt.time(9), end_time=dt.time(17))
    module = make_module(title="Créer son compte Ameli")
    morning = make_workshop(stop=stop, module=module, start_time=dt.time(9, 30), capacity=1)
    afternoon = make_workshop(
        stop=stop, module=module, start_time=dt.time(14), end_time=dt.time(16), capacity=2
    )
    return morning, afternoon


@pytest.fixture
def marcel(tuesday):
    morning, _ = tuesday
    return registration_create(
        workshop=morning,
        first_name="Marcel",
        last_name="Leroy",
        phone="03 22 11 22 33",
        needs="Vient avec sa fille",
        channel=RegistrationChannel.PHONE,
    )


@pytest.fixture
def claudine(client):
    user = make_coordinator("claudine")
    client.force_login(user)
    return user


def test_marcel_moved_to_the_afternoon_frees_his_morning_seat_for_the_waiting_list(
    tuesday, marcel, claudine
):
    morning, afternoon = tuesday
    waiting = registration_create(workshop=morning, **resident(1))

    moved, promoted = registration_move(registration=marcel, to_workshop=afternoon, by=claudine)

    assert moved.workshop == afternoon and moved.status == RegistrationStatus.CONFIRMED
    assert (moved.first_name, moved.phone, moved.needs) == ("Marcel", "+33322112233", marcel.needs)
    assert moved.created_by == claudine
    marcel.refresh_from_db()
    assert marcel.status == RegistrationStatus.CANCELLED
    assert promoted == [waiting]
    morning.refresh_from_db(), afternoon.refresh_from_db()
    assert (morning.seats_taken, afternoon.seats_taken) == (1, 1)


def test_marcel_stays_in_the_morning_when_the_afternoon_is_full_and_he_wants_no_waiting_list(
    tuesday, marcel, claudine
):
    morning, afternoon = tuesday
    for number in (1, 2):
        registration_create(workshop=afternoon, **resident(number))

    with pytest.raises(RegistrationError) as refused:
        registration_move(
            registration=marcel, to_workshop=afternoon, by=claudine, waiting_list_ok=False
        )

    assert refused.value.code == "full"
    marcel.refresh_from_db()
    assert marcel.status == RegistrationStatus.CONFIRMED
    morning.refresh_from_db()
    assert morning.seats_taken == 1


def test_claudine_moves_marcel_from_the_registrations_list(client, tuesday, marcel, claudine):
    morning, afternoon = tuesday
    listing = client.get(reverse("registrations:index") + f"?workshop={morning.pk}")
    move_url = reverse("workshops_registration_move", args=[marcel.pk])
    assert move_url in listing.content.decode()

    response = client.post(
        move_url, {"workshop": afternoon.pk, "waiting_list_ok": "on"}, follow=True
    )

    [message] = [str(message) for message in response.context["messages"]]
    assert "mardi 8 décembre 2026, 14\u00a0h" in message
    assert Registration.objects.get(workshop=afternoon).first_name == "Marcel"


def test_a_refused_move_is_said_next_to_the_workshop_field(client, tuesday, marcel, claudine):
    morning, afternoon = tuesday
    for number in (1, 2):
        registration_create(workshop=afternoon, **resident(number))

    response = client.post(
        reverse("workshops_registration_move", args=[marcel.pk]), {"workshop": afternoon.pk}
    )

    assert response.status_code == 200
    assert "complet" in response.context["form"].errors["workshop"][0]
    assert Registration.objects.get(first_name="Marcel").workshop == morning


def test_a_mediator_of_another_stop_cannot_move_marcel(client, tuesday, marcel):
    _, afternoon = tuesday
    client.force_login(make_mediator("paul"))

    response = client.post(
        reverse("workshops_registration_move", args=[marcel.pk]), {"workshop": afternoon.pk}
    )

    assert response.status_code == 404
    assert Registration.objects.get(first_name="Marcel").workshop_id != afternoon.pk


def test_claudine_cancels_marcel_and_reads_who_gets_his_seat(client, tuesday, marcel, claudine):
    morning, _ = tuesday
    registration_create(workshop=morning, **resident(1, first_name="Odette", last_name="Caron"))

    response = client.post(reverse("workshops_registration_cancel", args=[marcel.pk]), follow=True)

    [message] = [str(message) for message in response.context["messages"]]
    assert "Odette Caron" in message
    assert "(s)" not in message


def test_a_cancelled_stop_tells_how_many_registrants_without_s_in_brackets(
    client, tuesday, marcel, claudine
):
    response = client.post(
        reverse("workshops_stop_cancel", args=[marcel.workshop.stop_id]),
        {"reason": "Le bus est en panne."},
        follow=True,
    )

    [message] = [str(message) for message in response.context["messages"]]
    assert "1 personne inscrite" in message
    assert "(s)" not in message


def test_claudine_is_warned_before_she_changes_a_stop_people_signed_up_for(
    client, tuesday, marcel, claudine
):
    stop = marcel.workshop.stop

    response = client.get(reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]))

    [warning] = [str(message) for message in response.context["messages"]]
    assert "1 personne inscrite" in warning
    assert reverse("workshops_stop_broadcast", args=[stop.pk]) in response.content.decode()


def test_a_workshop_with_registrants_warns_before_its_hours_change(
    client, tuesday, marcel, claudine
):
    morning, afternoon = tuesday

    with_people = client.get(reverse("wagtailsnippets_workshops_workshop:edit", args=[morning.pk]))
    without = client.get(reverse("wagtailsnippets_workshops_workshop:edit", args=[afternoon.pk]))

    assert [str(message) for message in with_people.context["messages"]]
    assert not list(without.context["messages"])
