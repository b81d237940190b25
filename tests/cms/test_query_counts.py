"""Pages and feeds cost the same number of queries with 30 stops as with 5,000 (no N+1).

Thirty stops, not five: the nearest-stop search widens its square until it holds five coming
stops, so a tour too thin to fill the first square costs a query or two more.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation.models import Stop, StopStatus
from sessions.models import Workshop
from tests.cms.conftest import TODAY
from tests.factories import make_commune, make_epci, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(frozen, home):
    epci = make_epci(slug="cc-test")
    communes = [
        make_commune(
            slug=f"commune-q{i}",
            epci=epci,
            latitude=Decimal("49.9") + Decimal(i) / 100,
            longitude=Decimal("2.3"),
        )
        for i in range(10)
    ]
    modules = [make_module(), make_module()]
    return communes, modules


def add_stops(communes, modules, count: int, start: int = 0) -> Stop:
    statuses = itertools.cycle([StopStatus.CONFIRMED, StopStatus.PLANNED, StopStatus.CANCELLED])
    stops = Stop.objects.bulk_create(
        Stop(
            commune=communes[i % len(communes)],
            date=TODAY + dt.timedelta(days=i % 200),
            start_time=dt.time(9, 30),
            end_time=dt.time(12, 30),
            place_name="Place de la mairie",
            status=next(statuses),
        )
        for i in range(start, start + count)
    )
    Workshop.objects.bulk_create(
        Workshop(
            stop=stop,
            module=modules[n % 2],
            start_time=dt.time(9, 30 + 15 * (n % 2)),
            end_time=dt.time(11, 0),
        )
        for stop in stops
        for n in range(2)
    )
    return stops[0]


def urls(communes, stop) -> list[str]:
    return [
        "/",
        f"/communes/{communes[0].slug}/",
        f"/escales/{stop.pk}/",
        "/carte/",
        "/agenda.ics",
        f"/communes/{communes[0].slug}/agenda.ics",
        "/intercommunalites/cc-test/agenda.ics",
    ]


def count_queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (site root paths, the base map)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_query_counts_do_not_grow_with_the_number_of_stops(
    client, tour, django_assert_num_queries, settings
):
    settings.TOUR_CACHE_ENABLED = False  # what rendering costs, not what the cache saves
    communes, modules = tour
    stop = add_stops(communes, modules, 30)
    few = {url: count_queries(client, url) for url in urls(communes, stop)}

    add_stops(communes, modules, 4970, start=30)
    assert Stop.objects.count() == 5000

    # Per-process caches were warmed above: the first request now is a fair measure.
    for url, expected in few.items():
        with django_assert_num_queries(expected, info=url):
            assert client.get(url).status_code == 200


def test_a_logo_and_the_three_legal_pages_cost_no_query_more(
    client, tour, home, settings, tmp_path
):
    """A public body's site has a logo and its legal pages, shown on every page: read in
    the branding's own query, not one query for each link."""
    from cms.demo import seed_legal_pages
    from mediation.models import Branding
    from tests.factories import make_image

    settings.TOUR_CACHE_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    communes, modules = tour
    stop = add_stops(communes, modules, 30)
    pages = ["/", f"/communes/{communes[0].slug}/", f"/escales/{stop.pk}/", "/carte/"]
    plain = {url: count_queries(client, url) for url in pages}

    seed_legal_pages(home=home)
    branding = Branding.load()
    branding.logo = make_image()
    branding.save()

    # The logo's first rendition fills in the image's size and hash (Wagtail saves it): the
    # layout is made again once after that.
    client.get("/")
    for url in pages:
        assert count_queries(client, url) == plain[url], url
        footer = client.get(url).content.decode().split("<footer", 1)[1]
        for title, slug in (
            ("Mentions légales", "mentions-legales"),
            ("Accessibilité", "accessibilite"),
            ("Données personnelles", "donnees-personnelles"),
        ):
            assert f'<a href="/{slug}/">{title}</a>' in footer, (url, title)
