"""The short personal link of the SMS, beside the signed link that keeps working."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sessions.links import personal_link, short_link
from sessions.message_models import ShortLink, token_digest
from sessions.privacy.services import personal_data_purge
from sessions.services import registration_create
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(workshop):
    return registration_create(workshop=workshop, **resident(1), notify=False)


def test_the_short_link_leads_to_the_registration_page(client, registration):
    link = short_link(registration)

    assert len(link.path) <= 16  # "/r/" and 12 characters
    response = client.get(link.path, follow=True)
    assert response.status_code == 200
    assert response.context["registration"] == registration


def test_the_short_link_is_stored_only_hashed_and_stays_the_same(registration):
    link = short_link(registration)

    assert short_link(registration) == link
    (stored,) = ShortLink.objects.all()
    assert stored.token_digest == token_digest(link.token)
    assert link.token not in stored.token_digest


def test_an_old_signed_link_still_works_beside_the_short_one(client, registration):
    short_link(registration)
    response = client.get(personal_link(registration).path)
    assert response.status_code == 200
    assert response.context["registration"] == registration


def test_a_guessed_short_link_is_refused(client, registration):
    token = short_link(registration).token
    guess = ("A" if token[0] != "A" else "B") + token[1:]
    response = client.get(reverse("workshops:short_link", args=[guess]))
    assert response.status_code == 404


def test_revoking_the_registrations_links_revokes_the_short_one(client, registration):
    link = short_link(registration)
    registration.token_version += 1
    registration.save()

    response = client.get(link.path)
    assert response.status_code == 404
    assert response.context["code"] == "revoked"
    assert short_link(registration) != link


def test_the_short_link_expires_after_the_workshop(client, registration):
    link = short_link(registration)
    with time_machine.travel(registration.workshop.ends_at + dt.timedelta(days=2)):
        response = client.get(link.path)
    assert response.status_code == 410


def test_the_purge_removes_short_links(client, registration, settings):
    link = short_link(registration)
    days = settings.PERSONAL_DATA_RETENTION_DAYS + 2
    with time_machine.travel(registration.workshop.ends_at + dt.timedelta(days=days)):
        personal_data_purge()
    assert not ShortLink.objects.exists()
    assert client.get(link.path).status_code == 404


def test_an_erased_person_s_short_link_does_not_blame_the_sms_for_being_incomplete(
    client, registration
):
    # Jeanine asked to be erased; weeks later she taps the link in her old SMS. The erasure
    # deleted the short link, so nothing can tell it was hers: the page must not say her SMS
    # was cut or altered, but name both causes a link may be unknown, and how to come back.
    from sessions.privacy.services import person_erase
    from tests.factories import make_coordinator

    link = short_link(registration)
    person_erase(contact=registration.phone, by=make_coordinator("claire"))

    response = client.get(link.path)

    assert response.status_code == 404
    page = response.content.decode()
    assert "a été modifié" not in page
    assert "l’inscription a été effacée" in page
    assert "inscrivez-vous à nouveau ou appelez-nous" in page


def test_a_short_link_cut_in_the_sms_says_to_copy_it_whole(client, registration):
    token = short_link(registration).token

    response = client.get(reverse("workshops:short_link", args=[token[:-3]]))

    assert response.status_code == 404
    assert "entier" in response.content.decode()
