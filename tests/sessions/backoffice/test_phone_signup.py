"""Claudine, a coordinator, takes Marcel's call (78, no e-mail) and signs him up from the
back office: she picks the right workshop, and is told what to say to him before he hangs up."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Registration, RegistrationStatus
from sessions.services import registration_create
from tests.factories import make_coordinator, make_module, make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def claudine(client):
    user = make_coordinator("claudine")
    client.force_login(user)
    return user


@pytest.fixture
def ameli_workshop():
    """Tuesday 8 December 2026 at 9:30, in Hédauville, by the town hall; two seats."""
    stop = make_stop(
        date=dt.date(2026, 12, 8), place_name="Place de la mairie", address="2 rue de l’Église"
    )
    module = make_module(
        title="Créer son compte Ameli", documents_to_bring="Carte Vitale\nPièce d’identité"
    )
    return make_workshop(stop=stop, module=module, start_time=dt.time(9, 30), capacity=2)


def marcel(workshop, phone="06 12 34 56 78") -> dict:
    return {
        "workshop": workshop.pk,
        "first_name": "Marcel",
        "last_name": "Leroy",
        "phone": phone,
        "channel": "phone",
        "waiting_list_ok": "on",
    }


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, tzinfo=timezone.get_current_timezone()))


def shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("phone", ["06 12 34 56 78", "+33 6 12 34 56 78", "0033 6 12 34 56 78"])
def test_claudine_types_marcels_number_as_he_says_it(client, claudine, ameli_workshop, phone):
    response = client.post(reverse("registrations:add"), marcel(ameli_workshop, phone))

    assert response.status_code == 302
    assert Registration.objects.get().phone == "+33612345678"


def test_claudine_reads_what_to_tell_marcel_once_he_has_a_seat(client, claudine, ameli_workshop):
    response = client.post(reverse("registrations:add"), marcel(ameli_workshop), follow=True)

    [message] = shown(response)
    assert "Marcel Leroy" in message
    assert "Créer son compte Ameli" in message
    assert "mardi 8 décembre 2026, 9\u00a0h\u00a030" in message
    assert "Place de la mairie, 2 rue de l’Église" in message
    assert "Carte Vitale\u202f; Pièce d’identité" in message
    assert "créé(e)" not in message


def test_claudine_is_told_marcel_is_second_on_the_waiting_list(client, claudine, ameli_workshop):
    for number in (1, 2, 3):  # two seats taken, one already waiting
        registration_create(workshop=ameli_workshop, **resident(number))

    response = client.post(reverse("registrations:add"), marcel(ameli_workshop), follow=True)

    assert Registration.objects.get(first_name="Marcel").status == RegistrationStatus.WAITING
    [message] = shown(response)
    assert "liste d’attente" in message
    assert "position 2" in message
    assert "mardi 8 décembre 2026, 9\u00a0h\u00a030" in message


def test_claudine_tells_the_morning_workshop_from_the_afternoons_one(
    client, claudine, ameli_workshop
):
    # The same module twice the same day at the same stop: only the hour tells them apart,
    # and whether a seat is left is what Marcel asks first.
    afternoon = make_workshop(
        stop=ameli_workshop.stop,
        module=ameli_workshop.module,
        start_time=dt.time(14),
        end_time=dt.time(16),
        capacity=1,
    )
    registration_create(workshop=afternoon, **resident(1))

    form = client.get(reverse("registrations:add")).context["form"]
    labels = {str(value): label for value, label in form.fields["workshop"].choices}

    assert "mardi 8 décembre 2026, 9\u00a0h\u00a030" in labels[str(ameli_workshop.pk)]
    assert "2 places restantes" in labels[str(ameli_workshop.pk)]
    assert "mardi 8 décembre 2026, 14\u00a0h" in labels[str(afternoon.pk)]
    assert "complet" in labels[str(afternoon.pk)]


def test_the_registrations_of_a_workshop_are_headed_by_its_name_not_its_number(
    client, claudine, ameli_workshop
):
    # From the workshops list, "Inscriptions" leads here: the filter's chip said "Atelier : 25".
    response = client.get(reverse("registrations:index"), {"workshop": ameli_workshop.pk})

    [chip] = response.context["view"].active_filters
    assert chip.value.startswith("Créer son compte Ameli – ")
    assert "mardi 8 décembre 2026, 9\u00a0h\u00a030" in chip.value
