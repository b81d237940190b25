"""A resident on the waiting list sees where they stand, and is not asked twice to join it."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from sessions.models import Registration, RegistrationStatus
from tests.factories import make_commune, make_registration, make_stop, make_workshop
from tests.sessions.public.test_signup_form import form_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_workshop(db):
    commune = make_commune(name="Valcourt-sur-Test", postal_codes="99100")
    workshop = make_workshop(stop=make_stop(commune=commune), capacity=1)
    make_registration(workshop=workshop)
    workshop.seats_taken = 1
    workshop.save()
    return workshop


def test_a_resident_joining_a_full_workshop_sees_their_position(client, full_workshop):
    for first_name in ("Ginette", "Odette"):
        make_registration(
            workshop=full_workshop, first_name=first_name, status=RegistrationStatus.WAITING
        )

    response = client.post(url(full_workshop), form_data(), follow=True)

    html = response.content.decode()
    assert Registration.objects.get(phone="+33612345678").status == RegistrationStatus.WAITING
    assert 'id="waiting-position" data-position="3"' in html


def test_the_first_in_line_is_told_they_are_first(client, full_workshop):
    response = client.post(url(full_workshop), form_data(), follow=True)
    assert 'data-position="1"' in response.content.decode()


def test_a_resident_on_the_waiting_list_is_not_told_they_would_free_a_seat(client, full_workshop):
    # Ginette is third on the waiting list: she holds no seat, yet her page asked her to
    # cancel so that "your seat goes to someone on the waiting list".
    with translation.override("fr"):
        seat_freed = escape(
            gettext("Please cancel: your seat will go to someone on the waiting list.")
        )

    response = client.post(url(full_workshop), form_data(), follow=True)

    html = response.content.decode()
    assert 'id="cancel-link"' in html
    assert seat_freed not in html


def test_a_confirmed_resident_sees_no_position(client, db):
    commune = make_commune(name="Valcourt-sur-Test", postal_codes="99100")
    workshop = make_workshop(stop=make_stop(commune=commune), capacity=5)
    response = client.post(url(workshop), form_data(), follow=True)
    assert 'id="waiting-position"' not in response.content.decode()


def test_the_full_workshop_form_has_no_box_ticked_in_advance(client, full_workshop):
    html = client.get(url(full_workshop)).content.decode()
    assert 'type="checkbox" name="waiting_list_ok"' not in html
    assert "checked" not in html
    assert f'action="{reverse("workshops:signup", args=[full_workshop.pk])}"' in html
