"""The home page: next stops, the commune search, the phone number, in French."""

import datetime as dt
import re

import pytest

from mediation.models import Branding, StopStatus
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
    assert set(re.findall(r'href="/escales/(\d+)/"', html)) == {str(sooner.pk), str(later.pk)}
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


def test_the_workshop_time_stands_next_to_its_name_with_a_sign_up_link(
    client, frozen, home, amiens
):
    stop = make_stop(commune=amiens, date=TODAY + dt.timedelta(days=1))
    make_workshop(
        stop=stop,
        module=make_module(slug="compte-caf", title="Créer son compte CAF"),
        start_time=dt.time(14, 0),
        end_time=dt.time(15, 30),
    )

    html = client.get("/").content.decode()

    assert re.search(r'14\u00a0h</span> <a href="/modules/compte-caf/">Créer son compte CAF', html)
    # In the stop's title (and in its link's words for a screen reader), not in its address.
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    assert shown.count("Amiens-Test") == 1
    assert f'href="/escales/{stop.pk}/"' in html.split('class="stop-modules"', 1)[1]


def test_the_page_title_does_not_repeat_the_site_name(client, frozen, home):
    branding = Branding.load()
    branding.site_name = "Le Bus numérique"
    branding.tagline = "La Somme connectée"
    branding.save()

    html = client.get("/").content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.count("Le Bus numérique") == 1


def test_a_cancelled_stop_says_so_in_french(client, frozen, home, amiens):
    make_stop(
        commune=amiens,
        date=TODAY + dt.timedelta(days=2),
        status=StopStatus.CANCELLED,
        cancellation_reason="Véhicule en panne",
    )

    html = client.get("/").content.decode()

    assert "Annulé\u00a0:</strong> le bus ne viendra pas ce jour-là. Véhicule en panne" in html
    assert "Cancelled" not in html and "the van will not come" not in html
