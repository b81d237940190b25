"""The tour map: drawn on the server, marked communes linked, with a text list and attribution."""

import datetime as dt
import re
from html import unescape

import pytest

from mediation.maps import ATTRIBUTION, base_map
from mediation.models import Commune, Stop, StopStatus
from mediation.text import typography_faults
from tests.cms.conftest import TODAY
from tests.factories import make_stop

pytestmark = pytest.mark.django_db

# Communes of the reference data: an accented name, an apostrophe, plain names.
CODES = {
    "eplessier": "80273",
    "ercourt": "80280",
    "beaucourt": "80065",
    "abbeville": "80001",
    "ham": "80410",
}


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
    # Its colon kept a plain space before it: on a phone, ":" could wrap alone to a new line.
    assert typography_faults(ATTRIBUTION) == []


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


def _linked(html: str) -> list[tuple[str, str]]:
    """The map's links, in page order: (slug, accessible name)."""
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    return [
        (slug, unescape(label))
        for slug, label in re.findall(r'<a href="/communes/([\w-]+)/" aria-label="([^"]+)"', svg)
    ]


def _listed(html: str) -> list[tuple[str, str]]:
    """The text list's items, in page order: (slug, text after the name)."""
    listing = html.split('class="map-list"', 1)[1].split("</ul>", 1)[0]
    return [
        (slug, f"{unescape(name)}{unescape(when)}")
        for slug, name, when in re.findall(
            r'<li><a href="/communes/([\w-]+)/">([^<]+)</a>([^<]+)</li>', listing
        )
    ]


def test_the_map_links_every_commune_with_a_coming_stop_and_only_those(
    client, somme, frozen, settings
):
    settings.TOUR_CACHE_ENABLED = False  # what an uncached request reads from the database
    communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=CODES.values())}
    eplessier, ercourt, beaucourt, abbeville, ham = (communes[CODES[k]] for k in CODES)
    make_stop(commune=eplessier, date=TODAY + dt.timedelta(days=10))
    make_stop(commune=eplessier, date=TODAY)  # today's stop is still coming
    make_stop(commune=eplessier, date=TODAY + dt.timedelta(days=20))
    make_stop(commune=ercourt, date=TODAY + dt.timedelta(days=3))
    make_stop(commune=ercourt, date=TODAY + dt.timedelta(days=4), status=StopStatus.CANCELLED)
    make_stop(commune=beaucourt, date=TODAY + dt.timedelta(days=5))
    make_stop(commune=abbeville, date=TODAY - dt.timedelta(days=1))  # past
    make_stop(commune=ham, date=TODAY + dt.timedelta(days=2), status=StopStatus.CANCELLED)

    html = client.get("/carte/").content.decode()

    # In French order (É with E, not after Z), the next date and the other days counted.
    nbsp = "\u00a0"
    assert _linked(html) == [
        (beaucourt.slug, f"Beaucourt-sur-l'Ancre{nbsp}: le bus vient le dimanche 6 décembre 2026"),
        (eplessier.slug, f"Éplessier{nbsp}: le bus vient le mardi 1er décembre 2026"),
        (ercourt.slug, f"Ercourt{nbsp}: le bus vient le vendredi 4 décembre 2026"),
    ]
    assert _listed(html) == [
        (beaucourt.slug, f"Beaucourt-sur-l'Ancre{nbsp}: dimanche 6 décembre 2026"),
        (eplessier.slug, f"Éplessier{nbsp}: mardi 1er décembre 2026 et 2 autres jours"),
        (ercourt.slug, f"Ercourt{nbsp}: vendredi 4 décembre 2026"),
    ]
    assert "Beaucourt-sur-l&#x27;Ancre" in html  # names escaped in both the map and the list


def test_a_stop_added_moved_or_cancelled_shows_at_once_on_an_uncached_map(
    client, somme, frozen, settings
):
    settings.TOUR_CACHE_ENABLED = False
    rue = Commune.objects.get(slug="rue")
    assert _linked(client.get("/carte/").content.decode()) == []

    stop = make_stop(commune=rue, date=TODAY + dt.timedelta(days=2))
    html = client.get("/carte/").content.decode()
    assert _linked(html) == [("rue", "Rue\u00a0: le bus vient le jeudi 3 décembre 2026")]

    # Moved, joined by another, renamed: each shows on the next request.
    stop.date = TODAY + dt.timedelta(days=3)
    stop.save()
    make_stop(commune=rue, date=TODAY + dt.timedelta(days=8))
    Commune.objects.filter(pk=rue.pk).update(name="Rue-sur-Mer")
    html = client.get("/carte/").content.decode()
    assert _linked(html) == [("rue", "Rue-sur-Mer\u00a0: le bus vient le vendredi 4 décembre 2026")]
    assert _listed(html) == [("rue", "Rue-sur-Mer\u00a0: vendredi 4 décembre 2026 et 1 autre jour")]

    Stop.objects.filter(commune=rue).exclude(pk=stop.pk).delete()
    stop.status = StopStatus.CANCELLED
    stop.save()
    html = client.get("/carte/").content.decode()
    assert _linked(html) == []
    assert "Aucune escale n’est encore prévue." in html


def _rings(path_data: str) -> list[list[tuple[int, int]]]:
    """The rings an "M x y l dx dy … z" path draws, as absolute points."""
    rings = []
    for start, steps in re.findall(r"M(-?\d+ -?\d+)l([^z]*)z", path_data):
        x, y = map(int, start.split())
        ring = [(x, y)]
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def test_each_outline_is_a_closed_ring_inside_the_map_and_around_its_dot():
    """The outlines are written as steps from point to point: a step read from the wrong
    place would draw a commune away from its dot, or off the map."""
    base = base_map()
    for code, path_data in base.paths.items():
        rings = _rings(path_data)
        assert rings and path_data.count("M") == len(rings), code
        points = [point for ring in rings for point in ring]
        assert all(0 <= x <= base.width and 0 <= y <= base.height for x, y in points), code
        xs, ys = [x for x, _ in points], [y for _, y in points]
        centre_x, centre_y = base.centres[code]
        assert min(xs) <= centre_x <= max(xs) and min(ys) <= centre_y <= max(ys), code


def test_abbevilles_outline_is_where_its_coordinates_put_it():
    base = base_map()
    (ring, *_) = _rings(base.paths[CODES["abbeville"]])
    xs = [x for x, _ in ring]
    # Abbeville lies in the west of the Somme, a quarter of the way across.
    assert 0.15 * base.width < sum(xs) / len(xs) < 0.35 * base.width


def _layout(html: str) -> tuple[str, str, str]:
    """The page's title suffix, header and footer: what every page shows of the branding
    (the menu's mark of the page being read aside)."""
    title = re.search(r"<title>.*?( – .*?)</title>", html, re.S).group(1)
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    header = header.replace(' aria-current="page"', "")
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    return title, header, footer


def test_the_map_shows_the_branding_as_every_page_does_and_follows_its_changes(
    client, home, visits, settings, tmp_path
):
    """The map's page is rendered once per process around its parts, memoised on the
    branding: its logo, contacts and legal pages must still be those of this moment."""
    from cms.demo import seed_legal_pages
    from mediation.models import Branding
    from tests.factories import make_image

    settings.MEDIA_ROOT = tmp_path
    seed_legal_pages(home=home)
    branding = Branding.load()
    branding.logo = make_image()
    branding.site_name, branding.tagline = "Le Bus numérique", "La Somme connectée"
    branding.contact_phone, branding.contact_email = "03 22 11 22 33", "bus@somme.example"
    branding.operator_name, branding.operator_address = "Somme Numérique", "1 rue de la Paix"
    branding.primary_colour = "#7a1f00"
    branding.save()

    shown = _layout(client.get("/carte/").content.decode())
    assert shown == _layout(client.get("/communes/").content.decode())
    assert 'class="site-logo"' in shown[1] and "La Somme connectée" in shown[1]
    assert "tel:0322112233" in shown[2] and "Somme Numérique" in shown[2]

    legal = branding.legal_notice_page.specific
    legal.title = "Mentions légales du bus"
    legal.save_revision().publish()

    retitled = _layout(client.get("/carte/").content.decode())
    assert retitled == _layout(client.get("/communes/").content.decode())
    assert "Mentions légales du bus" in retitled[2]

    branding = Branding.load()
    branding.contact_email = "contact@somme.example"
    branding.save()

    changed = _layout(client.get("/carte/").content.decode())
    assert changed == _layout(client.get("/communes/").content.decode())
    assert "contact@somme.example" in changed[2]
