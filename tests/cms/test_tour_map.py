"""The tour map: drawn on the server, marked communes linked, with a text list and attribution."""

import datetime as dt
import re

import pytest

from mediation.maps import ATTRIBUTION, base_map
from mediation.models import Commune, StopStatus
from tests.cms.conftest import TODAY
from tests.factories import make_stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(somme, frozen):
    abbeville = Commune.objects.get(slug="abbeville")
    rue = Commune.objects.get(slug="rue")
    ham = Commune.objects.get(slug="ham")
    make_stop(commune=abbeville, date=TODAY + dt.timedelta(days=2))
    make_stop(commune=rue, date=TODAY + dt.timedelta(days=9))
    make_stop(commune=ham, date=TODAY + dt.timedelta(days=4), status=StopStatus.CANCELLED)
    make_stop(commune=ham, date=TODAY - dt.timedelta(days=4))


def test_every_commune_is_drawn_and_the_visited_ones_are_links(client, visits):
    html = client.get("/carte/").content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]

    assert svg.count("<path") == len(base_map().paths) == 771
    linked = re.findall(r'<a href="/communes/([\w-]+)/" aria-label="([^"]+)"', svg)
    assert sorted(slug for slug, _ in linked) == ["abbeville", "rue"]
    assert all(label.startswith(("Abbeville", "Rue")) for _, label in linked)


def test_the_text_list_is_the_accessible_alternative(client, visits):
    html = client.get("/carte/").content.decode()
    listing = html.split('class="map-list"', 1)[1].split("</ul>", 1)[0]

    assert re.findall(r'href="/communes/([\w-]+)/"', listing) == ["abbeville", "rue"]
    assert "jeudi 3 décembre 2026" in listing


def test_the_data_attribution_is_on_the_page(client, visits):
    assert ATTRIBUTION in client.get("/carte/").content.decode()


def test_the_map_stays_light_for_weak_connections(client, visits):
    assert len(client.get("/carte/").content) < 200_000


def test_the_map_names_the_chief_towns_of_the_intercommunalities(client, visits):
    html = client.get("/carte/").content.decode()
    towns = html.split('class="towns"', 1)[1].split("</svg>", 1)[0]
    # The largest towns keep their names even on a phone, where the others make room.
    for name in ("Amiens", "Abbeville", "Péronne", "Doullens", "Montdidier"):
        assert re.search(rf'<g class="town">[^/]*/><text[^>]*>{name}</text>', towns), name
    assert towns.count("<text") >= 12
    assert 'role="group"' not in html
