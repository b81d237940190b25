"""Every commune has a page that answers "when does the van come here, or nearest to here"."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from cms.models import CommuneLocalContent
from mediation.models import StopStatus
from mediation.templatetags.french_dates import longdate
from tests.cms.conftest import TODAY
from tests.factories import make_commune, make_image, make_stop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(db):
    """A village where the van never stops, at the centre of its neighbours."""
    return make_commune(
        name="Villers-Bocage",
        slug="villers-bocage",
        latitude=Decimal("50.0"),
        longitude=Decimal("2.3"),
    )


def stop_ids(html: str, section_id: str) -> list[int]:
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    # A stop's summary links to its page twice (its title and its sign-up link).
    found = re.findall(r'href="/escales/(\d+)/"', section)
    return [int(pk) for pk in dict.fromkeys(found)]


def test_a_commune_without_stops_lists_the_nearest_ones_in_distance_order(client, frozen, village):
    far = make_commune(latitude=Decimal("50.3"), longitude=Decimal("2.3"))  # about 33 km
    near = make_commune(latitude=Decimal("50.05"), longitude=Decimal("2.3"))  # about 6 km
    middle = make_commune(latitude=Decimal("50.15"), longitude=Decimal("2.3"))  # about 17 km
    stop_far = make_stop(commune=far, date=TODAY + dt.timedelta(days=1))
    stop_near = make_stop(commune=near, date=TODAY + dt.timedelta(days=20))
    stop_middle = make_stop(commune=middle, date=TODAY + dt.timedelta(days=5))
    make_stop(commune=near, date=TODAY - dt.timedelta(days=3))  # past: not offered

    response = client.get("/communes/villers-bocage/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-stop-here"' in html
    assert stop_ids(html, "nearby-title") == [stop_near.pk, stop_middle.pk, stop_far.pk]


def test_nearby_stops_come_soonest_first_within_each_distance_band(client, frozen, village):
    """Not 31 Dec, 26 Jan, 11 Feb, 19 Jan, 24 Dec: a resident asks when they can go soonest."""
    near = make_commune(latitude=Decimal("50.03"), longitude=Decimal("2.3"))  # about 3 km
    nearer = make_commune(latitude=Decimal("50.01"), longitude=Decimal("2.3"))  # about 1 km
    further = make_commune(latitude=Decimal("50.15"), longitude=Decimal("2.3"))  # about 17 km
    late = make_stop(commune=nearer, date=TODAY + dt.timedelta(days=40))
    soon = make_stop(commune=near, date=TODAY + dt.timedelta(days=2))
    middle = make_stop(commune=nearer, date=TODAY + dt.timedelta(days=12))
    beyond = make_stop(commune=further, date=TODAY + dt.timedelta(days=1))

    html = client.get("/communes/villers-bocage/").content.decode()

    assert stop_ids(html, "nearby-title") == [soon.pk, middle.pk, late.pk, beyond.pk]
    bands = html.split('id="nearby-title"', 1)[1].split("</section>", 1)[0]
    assert bands.count('class="distance-band"') == 2


def test_a_commune_lists_its_own_upcoming_stops_with_french_dates(client, frozen, village):
    stop = make_stop(commune=village, date=dt.date(2026, 12, 8))
    make_workshop(stop=stop)

    html = client.get("/communes/villers-bocage/").content.decode()

    assert stop_ids(html, "here-title") == [stop.pk]
    assert longdate(stop.date) == "mardi 8 décembre 2026"
    assert "8 décembre 2026" in html
    assert "9\u00a0h\u00a030" in html


def test_a_cancelled_stop_is_shown_as_cancelled_in_words(client, frozen, village):
    make_stop(
        commune=village,
        status=StopStatus.CANCELLED,
        cancellation_reason="Fête du village",
        date=TODAY + dt.timedelta(days=2),
    )

    html = client.get("/communes/villers-bocage/").content.decode()

    assert 'class="status-cancelled"' in html
    assert "Fête du village" in html


def test_the_page_links_to_the_flyer_and_the_calendar(client, frozen, village):
    html = client.get("/communes/villers-bocage/").content.decode()

    assert 'href="/communes/villers-bocage/affiche.pdf"' in html
    assert 'href="webcal://testserver/communes/villers-bocage/agenda.ics"' in html


def test_the_town_hall_note_appears_without_touching_the_schedule(client, frozen, village):
    CommuneLocalContent.objects.create(commune=village, note="<p>Parking derrière l’église.</p>")

    html = client.get("/communes/villers-bocage/").content.decode()

    assert "Parking derrière l’église." in html


def test_the_page_is_in_french(client, frozen, village):
    response = client.get("/communes/villers-bocage/")
    assert '<html lang="fr">' in response.content.decode()
    assert response.headers["Content-Language"] == "fr"


def test_an_unknown_commune_is_a_404_page_not_an_error(client, frozen):
    response = client.get("/communes/nulle-part/")
    assert response.status_code == 404


def test_a_town_visited_every_week_lists_its_next_ten_stops_and_counts_the_others(
    client, frozen, village
):
    stops = [make_stop(commune=village, date=TODAY + dt.timedelta(days=7 * n)) for n in range(14)]

    response = client.get("/communes/villers-bocage/")

    html = response.content.decode()
    assert stop_ids(html, "here-title") == [stop.pk for stop in stops[:10]]
    assert 'class="more-stops"' in html
    assert "4" in html.split('class="more-stops"', 1)[1].split("</p>", 1)[0]


def test_each_commune_gets_its_own_forms_with_a_token_that_works(settings, frozen, village):
    """The empty forms are rendered once per process: the commune and the token are not."""
    from django.test import Client

    settings.TOUR_CACHE_ENABLED = False
    other = make_commune(name="Corbie", slug="corbie")
    visitor = Client(enforce_csrf_checks=True)

    for commune in (village, other):
        html = visitor.get(f"/communes/{commune.slug}/").content.decode()
        actions = re.findall(r'<form method="post" action="([^"]+)"', html)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        answer = visitor.post(
            f"/communes/{commune.slug}/prevenez-moi/", {"csrfmiddlewaretoken": token}
        )

        assert actions == [
            f"/communes/{commune.slug}/prevenez-moi/",
            f"/communes/{commune.slug}/faites-venir-le-bus/",
        ]
        assert answer.status_code != 403


@pytest.mark.parametrize("distance", [0.0, 0.4, 0.5, 2.5, 12.0, 12.45, 17.5, 33.3, 999.5, 1234.5])
def test_distances_read_as_floatformat_writes_them(distance):
    from django.template.defaultfilters import floatformat

    from cms.stop_summaries import whole_km

    assert whole_km(distance) == floatformat(distance, 0)


# The commune page's former template loop over the distance bands, kept to check that the
# bands built in Python (cms/stop_summaries.py) read exactly the same.
FORMER_BANDS_TEMPLATE = """{% load i18n cms_tags %}{% for band in nearby %}
  <div class="distance-band">
    <h3>{% if band.up_to_km is None %}{% blocktranslate with km=band.from_km %}More than {{ km }} km away{% endblocktranslate %}{% elif band.from_km %}{% blocktranslate with low=band.from_km high=band.up_to_km %}From {{ low }} to {{ high }} km away{% endblocktranslate %}{% else %}{% blocktranslate with km=band.up_to_km %}Less than {{ km }} km away{% endblocktranslate %}{% endif %}</h3>
    <ol class="nearby" role="list">
      {% for item in band.stops %}
      <li>{% stop_summary item show_commune=True level=4 %}</li>
      {% endfor %}
    </ol>
  </div>
  {% endfor %}"""  # noqa: E501 - the template's own line


def test_distance_bands_read_as_the_former_template_wrote_them(frozen, village):
    from django.template import engines
    from django.utils import translation

    from cms.schedule import commune_schedule
    from cms.stop_summaries import distance_bands

    for km, days in ((1, 3), (3, 2), (17, 1), (33, 4)):
        other = make_commune(
            name=f"Ville <{km}>", latitude=Decimal("50.0") + Decimal(km) / 111, longitude=2.3
        )
        stop = make_stop(commune=other, date=TODAY + dt.timedelta(days=days))
        make_workshop(stop=stop)
    bands = commune_schedule(village, limit=10).nearby
    assert [band.up_to_km for band in bands] == [10, 20, None]

    template = engines["django"].from_string(FORMER_BANDS_TEMPLATE)
    for language in ("fr", "en"):
        with translation.override(language):
            assert distance_bands(bands) == template.render({"nearby": bands})


def test_the_town_hall_photo_is_shown_with_its_description(
    client, frozen, village, settings, tmp_path
):
    """The town hall's content is read with the commune: its photo and description too."""

    settings.MEDIA_ROOT = tmp_path / "media"
    photo = make_image("mairie.png", size=(320, 200), title="Mairie")
    CommuneLocalContent.objects.create(
        commune=village, photo=photo, photo_description="La mairie et son parvis"
    )
    client.get("/communes/villers-bocage/")  # the rendition made once

    html = client.get("/communes/villers-bocage/").content.decode()

    section = html.split('class="local-content"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<img [^>]*alt="La mairie et son parvis"', section)
    assert 'class="local-photo"' in section


def test_each_commune_page_has_its_own_name_in_its_title_and_heading(client, frozen, village):
    """The layout around a commune's content is rendered once for all communes: the title
    and the content must still be each commune's own, escaped."""
    other = make_commune(name="Bray-lès-Mareuil <Somme>", slug="bray-les-mareuil")

    for commune in (village, other, village):
        html = client.get(f"/communes/{commune.slug}/").content.decode()
        title = re.search(r"<title>(.*?) – ", html).group(1)
        heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
        escaped = commune.name.replace("<", "&lt;").replace(">", "&gt;")
        assert title == escaped
        assert heading.endswith(escaped)
        assert html.count("<main") == 1 and html.count("</footer>") == 1
