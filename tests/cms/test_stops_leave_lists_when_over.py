"""A stop leaves the public lists when it ends, cached pages included.

Martine looks at the site on her phone. This morning the van was in Amiens from 9 h 30 to
12 h 30; this afternoon it is in Boves from 14 h to 17 h; next week it comes back to Amiens.
At 10 h both of today's stops are listed; at 13 h Amiens's is over and no longer offered,
while Boves's, still to come, stays until 17 h. The clock changes the lists with no write to
the tour, so the cached copies must not outlive the stop.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from mediation.models import PARIS, Branding
from tests.cms.conftest import TODAY
from tests.factories import make_commune, make_stop

pytestmark = pytest.mark.django_db

NEXT_WEEK = TODAY + dt.timedelta(days=7)


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(hour, minute, second), tzinfo=PARIS)


def stop_link(stop) -> str:
    return f'href="/escales/{stop.pk}/"'


@pytest.fixture
def tour(amiens):
    Branding.load()  # made on first use otherwise, which counts as a change
    boves = make_commune(
        name="Boves-Test", slug="boves-test", latitude=Decimal("49.85"), longitude=Decimal("2.39")
    )
    this_morning = make_stop(commune=amiens, date=TODAY, place_name="Place Gambetta")
    this_afternoon = make_stop(
        commune=boves,
        date=TODAY,
        start_time=dt.time(14, 0),
        end_time=dt.time(17, 0),
        place_name="Salle des fêtes",
    )
    next_week = make_stop(commune=amiens, date=NEXT_WEEK, place_name="Place Gambetta")
    return {
        "amiens": amiens,
        "boves": boves,
        "this_morning": this_morning,
        "this_afternoon": this_afternoon,
        "next_week": next_week,
    }


def test_the_home_page_no_longer_lists_this_mornings_stop_in_the_afternoon(client, home, tour):
    with time_machine.travel(at(10), tick=False):
        morning = client.get("/").content.decode()
    with time_machine.travel(at(13), tick=False):
        afternoon = client.get("/").content.decode()

    assert stop_link(tour["this_morning"]) in morning
    assert stop_link(tour["this_morning"]) not in afternoon
    assert stop_link(tour["this_afternoon"]) in afternoon  # still to come until 17 h
    assert stop_link(tour["next_week"]) in afternoon


def test_the_cached_home_page_drops_the_stop_the_second_it_ends(client, home, tour):
    with time_machine.travel(at(12, 29), tick=False):
        first = client.get("/")
        cached = client.get("/", headers={"if-none-match": first["ETag"]})
    with time_machine.travel(at(12, 30, 1), tick=False):
        after = client.get("/").content.decode()

    assert cached.status_code == 304  # the same copy until the stop ends
    assert stop_link(tour["this_morning"]) in first.content.decode()
    assert stop_link(tour["this_morning"]) not in after


def test_the_commune_page_lists_its_next_visit_once_todays_is_over(client, tour):
    page = f"/communes/{tour['amiens'].slug}/"
    with time_machine.travel(at(10), tick=False):
        morning = client.get(page).content.decode()
    with time_machine.travel(at(12, 30, 1), tick=False):  # cached at 10 h
        afternoon = client.get(page).content.decode()

    assert stop_link(tour["this_morning"]) in morning
    assert stop_link(tour["this_morning"]) not in afternoon
    assert stop_link(tour["next_week"]) in afternoon
    # Boves, nearby, runs until 17 h.
    assert stop_link(tour["this_afternoon"]) in afternoon


def test_the_nearest_stops_drop_a_neighbours_stop_once_it_is_over(client, tour):
    page = f"/communes/{tour['boves'].slug}/"
    with time_machine.travel(at(10), tick=False):
        morning = client.get(page).content.decode()
    with time_machine.travel(at(12, 30, 1), tick=False):
        afternoon = client.get(page).content.decode()

    assert stop_link(tour["this_morning"]) in morning
    assert stop_link(tour["this_morning"]) not in afternoon
    assert stop_link(tour["next_week"]) in afternoon


def test_the_map_gives_a_communes_next_visit_once_todays_is_over(client, tour):
    with time_machine.travel(at(10), tick=False):
        morning = client.get("/carte/").content.decode()
    with time_machine.travel(at(12, 30, 1), tick=False):  # cached at 10 h
        afternoon = client.get("/carte/").content.decode()

    assert "Amiens-Test</a>&nbsp;: mardi 1er décembre 2026 et 1 autre jour" in morning
    assert "Amiens-Test</a>&nbsp;: mardi 8 décembre 2026</li>" in afternoon
    assert "Boves-Test</a>&nbsp;: mardi 1er décembre 2026</li>" in afternoon


def test_a_stop_still_running_stays_listed_until_its_end(client, home, tour):
    with time_machine.travel(at(16, 59), tick=False):
        before_the_end = client.get("/").content.decode()
    with time_machine.travel(at(17, 0), tick=False):
        at_the_end = client.get("/").content.decode()

    assert stop_link(tour["this_afternoon"]) in before_the_end
    assert stop_link(tour["this_afternoon"]) not in at_the_end
