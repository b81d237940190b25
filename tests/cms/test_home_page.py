"""The home page: next stops, the commune search, the phone number, in French."""

import datetime as dt

import pytest

from mediation.models import Branding
from tests.cms.conftest import TODAY
from tests.factories import make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db


def test_it_lists_the_next_stops_with_their_modules(client, frozen, home, amiens):
    later = make_stop(commune=amiens, date=TODAY + dt.timedelta(days=10))
    sooner = make_stop(commune=amiens, date=TODAY + dt.timedelta(days=1))
    make_stop(commune=amiens, date=TODAY - dt.timedelta(days=1))
    make_workshop(stop=sooner, module=make_module(slug="compte-caf"))

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f"/escales/{sooner.pk}/") < html.index(f"/escales/{later.pk}/")
    assert html.count('href="/escales/') == 2
    assert 'href="/modules/compte-caf/"' in html
    assert "2 décembre 2026" in html


def test_it_has_the_search_field_and_the_phone_from_the_settings(client, frozen, home):
    branding = Branding.load()
    branding.contact_phone = "03 22 11 22 33"
    branding.site_name = "Bus de la Somme"
    branding.primary_colour = "#7a1f00"
    branding.save()

    html = client.get("/").content.decode()

    assert '<label for="commune-q"' in html
    assert 'name="q"' in html
    assert 'href="tel:0322112233"' in html
    assert "Bus de la Somme" in html
    assert "couleurs.css?v=7a1f00" in html  # the branding colour, as a stylesheet (CSP)
    assert '<html lang="fr">' in html
