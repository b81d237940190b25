"""A stop's page says where, when, which workshops, seats left, what to bring, whom to call."""

import datetime as dt
import re

import pytest

from mediation.models import Branding, StopStatus
from tests.cms.conftest import TODAY
from tests.factories import make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def stop(frozen):
    stop = make_stop(
        date=TODAY + dt.timedelta(days=3),
        place_name="Salle des fêtes",
        address="2 rue de l’Église",
        directions="Derrière la mairie, à côté du terrain de boules.",
    )
    caf = make_module(
        title="Créer son compte CAF",
        slug="compte-caf",
        documents_to_bring="Numéro allocataire\nPièce d'identité",
    )
    make_workshop(stop=stop, module=caf, capacity=8, seats_taken=3)
    make_workshop(
        stop=stop,
        module=make_module(slug="facebook"),
        capacity=1,
        seats_taken=1,
        start_time=dt.time(11, 0),
        end_time=dt.time(12, 0),
    )
    return stop


def test_it_shows_place_directions_hours_and_what_to_bring(client, stop):
    html = client.get(f"/escales/{stop.pk}/").content.decode()

    assert "Salle des fêtes" in html
    assert "2 rue de l’Église" in html
    assert "Derrière la mairie" in html
    assert "9\u00a0h\u00a030" in html and "12\u00a0h\u00a030" in html
    # Two documents, two lines: "Numéro allocataire, Pièce d'identité" read as one.
    assert (
        '<ul class="bring-list"><li>Numéro allocataire</li><li>Pièce d&#x27;identité</li></ul>'
        in html
    )
    # One document stays on the line.
    assert "<strong>À apporter\u00a0:</strong> Une pièce d&#x27;identité</p>" in html


def test_each_workshop_links_to_its_sign_up_with_the_seats_left(client, stop):
    html = client.get(f"/escales/{stop.pk}/").content.decode()
    first, second = stop.workshops.order_by("start_time")

    assert f'href="/ateliers/{first.pk}/inscription/"' in html
    assert 'data-seats-left="5"' in html
    assert 'data-seats-left="0"' in html
    assert 'href="/modules/compte-caf/"' in html
    # Every word in French, the full workshop's too (a string built in Python once stayed English).
    assert "<strong>Complet.</strong>" in html


def test_it_gives_the_phone_number_from_the_site_settings(client, stop):
    branding = Branding.load()
    branding.contact_phone = "03 22 00 00 00"
    branding.save()

    html = client.get(f"/escales/{stop.pk}/").content.decode()

    assert 'href="tel:0322000000"' in html


def test_a_cancelled_stop_says_so_in_words(client, stop):
    stop.status = StopStatus.CANCELLED
    stop.save()

    html = client.get(f"/escales/{stop.pk}/").content.decode()

    assert 'class="status-cancelled"' in html
    assert "/inscription/" not in html
    assert "<p>Annulé</p>" in html and "<p>Cancelled</p>" not in html


def test_an_unknown_stop_is_a_404(client, frozen):
    assert client.get("/escales/987654/").status_code == 404


def test_a_stop_number_too_large_for_the_database_is_a_404_not_an_error(client, frozen):
    # A number mistyped from a flyer, or a visitor probing: twenty digits overflow the column.
    assert client.get("/escales/99999999999999999999/").status_code == 404
    assert client.get(f"/escales/{2**63}/").status_code == 404


def test_each_workshops_time_stands_next_to_its_name_and_the_sign_up_is_a_button(client, stop):
    # Lucienne, 75, scans the page for "when" and "what": both in the workshop's heading.
    html = client.get(f"/escales/{stop.pk}/").content.decode()
    first, second = stop.workshops.order_by("start_time")
    card = html.split(f'id="atelier-{second.pk}"', 1)[1].split("</li>", 1)[0]
    heading = re.sub(r"<[^>]+>", "", card.split("<h3>", 1)[1].split("</h3>", 1)[0])
    assert " ".join(heading.split()) == f"de 11 h à 12 h · {second.module.title}"
    first_card = html.split(f'id="atelier-{first.pk}"', 1)[1].split("</li>", 1)[0]
    assert f'class="button button-large" href="/ateliers/{first.pk}/inscription/"' in first_card
    # The module's name is said once per workshop, not repeated around it.
    assert first_card.count("Créer son compte CAF") == 2  # the heading, the button's hidden words
