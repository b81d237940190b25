"""Search engines find every commune, stop and module page, and show a stop's dates."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation.models import Branding, Commune, Stop, StopStatus
from tests.cms.conftest import TODAY
from tests.factories import make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]


def test_the_sitemap_lists_the_771_communes_stops_modules_and_wagtail_pages(client, somme, home):
    stop = make_stop(commune=Commune.objects.get(name="Abbeville"))
    module = make_module(slug="compte-caf")
    locations = sitemap_locations(client)
    communes = [loc for loc in locations if "/communes/" in loc]
    assert len(communes) == 771
    assert "http://testserver/communes/abbeville/" in locations
    assert f"http://testserver/escales/{stop.pk}/" in locations
    assert f"http://testserver/modules/{module.slug}/" in locations
    assert "http://testserver/" in locations  # the Wagtail home page


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """Each URL's elements (lastmod, changefreq…), by location."""
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        url.find("s:loc", SITEMAP_NS).text: {
            child.tag.rsplit("}", 1)[1]: child.text
            for child in url
            if child.tag.endswith(("lastmod", "changefreq", "priority"))
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_a_stop_is_dated_by_its_last_change_on_the_french_calendar(client):
    stop = make_stop()
    # 23:30 UTC on 14 March is already 15 March in Paris, as Django's sitemap dated it.
    Stop.objects.filter(pk=stop.pk).update(
        updated_at=dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC)
    )
    module = make_module(slug="compte-caf")
    commune = stop.commune

    entries = sitemap_entries(client)

    assert entries[f"http://testserver/escales/{stop.pk}/"] == {
        "lastmod": "2026-03-15",
        "changefreq": "weekly",
    }
    assert entries[f"http://testserver/communes/{commune.slug}/"] == {"changefreq": "weekly"}
    assert entries[f"http://testserver/modules/{module.slug}/"] == {"changefreq": "monthly"}


def test_the_sitemap_costs_the_same_queries_for_two_stops_or_forty(client):
    def queries_for_the_sitemap() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sitemap.xml").status_code == 200
        return len(queries)

    make_stop(), make_stop()
    with_two = queries_for_the_sitemap()
    for _ in range(38):
        make_stop()
    assert queries_for_the_sitemap() == with_two


def test_the_sitemap_follows_the_tour_and_is_itself_kept_out_of_search_results(client):
    first = client.get("/sitemap.xml")
    again = client.get("/sitemap.xml", headers={"if-none-match": first["ETag"]})
    stop = make_stop()
    after_a_new_stop = client.get("/sitemap.xml")

    assert first["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert first["Content-Type"] == "application/xml"
    assert again.status_code == 304
    assert f"/escales/{stop.pk}/" in after_a_new_stop.content.decode()
    assert f"/escales/{stop.pk}/" not in first.content.decode()


def test_robots_txt_names_the_sitemap_and_keeps_staff_screens_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /inscription/" in lines


def event_on_page(client, stop) -> dict:
    html = client.get(f"/escales/{stop.pk}/").content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


@pytest.fixture
def friday_stop(frozen):
    branding = Branding.load()
    branding.operator_name = "Somme Numérique"
    branding.contact_phone = "03 22 00 00 00"
    branding.save()
    stop = make_stop(
        date=TODAY + dt.timedelta(days=3),
        start_time=dt.time(9, 30),
        end_time=dt.time(12, 0),
        place_name="Salle des fêtes",
        address="2 rue de l’Église",
    )
    make_workshop(stop=stop, module=make_module(title="Créer son compte CAF", slug="caf"))
    return stop


def test_a_stop_page_carries_a_schema_org_event_with_its_dates_and_place(client, friday_stop):
    event = event_on_page(client, friday_stop)
    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "Event"
    # Friday 4 December 2026, 9:30 to 12:00 in Paris (UTC+1 in winter).
    assert event["startDate"] == "2026-12-04T09:30:00+01:00"
    assert event["endDate"] == "2026-12-04T12:00:00+01:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    place = event["location"]
    assert place["@type"] == "Place"
    assert place["name"] == "Salle des fêtes"
    assert place["address"]["streetAddress"] == "2 rue de l’Église"
    assert place["address"]["addressLocality"] == friday_stop.commune.name
    assert place["geo"]["latitude"] == float(friday_stop.commune.latitude)
    assert event["organizer"] == {
        "@type": "Organization",
        "name": "Somme Numérique",
        "url": "http://testserver/",
        "telephone": "03 22 00 00 00",
    }
    assert event["url"] == f"http://testserver/escales/{friday_stop.pk}/"
    assert "Créer son compte CAF" in event["description"]


def test_a_module_given_twice_in_the_day_is_named_once_in_the_event(client, friday_stop):
    caf = friday_stop.workshops.get().module
    make_workshop(stop=friday_stop, module=caf, start_time=dt.time(11, 0), end_time=dt.time(12, 0))

    assert event_on_page(client, friday_stop)["description"] == "Créer son compte CAF"


def test_a_summer_stop_carries_the_summer_offset(client, frozen):
    stop = make_stop(date=dt.date(2027, 7, 6), start_time=dt.time(14, 0), end_time=dt.time(17, 0))
    assert event_on_page(client, stop)["startDate"] == "2027-07-06T14:00:00+02:00"


def test_a_cancelled_stop_is_marked_cancelled(client, friday_stop):
    friday_stop.status = StopStatus.CANCELLED
    friday_stop.save()
    event = event_on_page(client, friday_stop)
    assert event["eventStatus"] == "https://schema.org/EventCancelled"


def test_text_cannot_close_the_script_element(client, friday_stop):
    friday_stop.place_name = "</script><script>alert(1)</script>"
    friday_stop.save()
    event = event_on_page(client, friday_stop)
    assert event["location"]["name"] == "</script><script>alert(1)</script>"


def test_every_page_links_to_the_source_code(client, settings, friday_stop):
    settings.SOURCE_CODE_URL = "https://forge.example.org/bus/mediation"
    for path in ("/modules/", f"/escales/{friday_stop.pk}/", "/communes/"):
        html = client.get(path).content.decode()
        assert '<a href="https://forge.example.org/bus/mediation">' in html, path
