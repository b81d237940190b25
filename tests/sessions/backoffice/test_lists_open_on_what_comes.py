"""The back office's lists of stops and workshops open on what comes next, not on the first
stop of three years ago; past ones are a filter away, most recent first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from mediation.templatetags.french_dates import hour, longdate
from tests.factories import make_commune, make_coordinator, make_stop, make_workshop

pytestmark = pytest.mark.django_db

STOPS = reverse("wagtailsnippets_mediation_stop:list")
WORKSHOPS = reverse("wagtailsnippets_workshops_workshop:list")


@pytest.fixture
def tour():
    """Stops of a tour: one two years ago, yesterday, tomorrow and in ten days."""
    today = timezone.localdate()
    places = {
        "Albert": -730,
        "Hédauville": -1,
        "Corbie": 1,
        "Péronne": 10,
    }
    return {
        name: make_workshop(
            stop=make_stop(date=today + dt.timedelta(days=days), commune=make_commune(name=name))
        )
        for name, days in places.items()
    }


@pytest.fixture
def claire(client):
    client.force_login(make_coordinator())
    return client


def listed(response, names) -> list[str]:
    """The communes in the order the list shows them."""
    html = response.content.decode()
    rows = html[html.index("<tbody") :] if "<tbody" in html else ""
    found = sorted((rows.find(name), name) for name in names if name in rows)
    return [name for _position, name in found]


@pytest.mark.parametrize("url", [STOPS, WORKSHOPS])
def test_a_list_opens_on_the_stops_to_come_soonest_first(claire, tour, url):
    response = claire.get(url)

    assert response.status_code == 200
    assert listed(response, tour) == ["Corbie", "Péronne"]
    # The default is not shown as a filter someone chose and could remove.
    assert not response.context["view"].active_filters


@pytest.mark.parametrize("url", [STOPS, WORKSHOPS])
def test_past_stops_come_most_recent_first_and_all_of_them_on_request(claire, tour, url):
    past = claire.get(url, {"period": "passees"})
    everything = claire.get(url, {"period": "toutes"})

    assert listed(past, tour) == ["Hédauville", "Albert"]
    assert listed(everything, tour) == ["Albert", "Hédauville", "Corbie", "Péronne"]
    assert "Période" in past.content.decode()


def test_a_column_sorted_by_hand_keeps_its_order_among_past_stops(claire, tour):
    past_oldest_first = claire.get(STOPS, {"period": "passees", "ordering": "date"})

    assert listed(past_oldest_first, tour) == ["Albert", "Hédauville"]


def test_a_date_range_in_the_address_means_those_dates_whether_past_or_to_come(claire, tour):
    long_ago = timezone.localdate() - dt.timedelta(days=800)
    since = {"stop_date_after": long_ago.isoformat()}

    workshops = claire.get(WORKSHOPS, since)
    stops = claire.get(STOPS, {"date_after": long_ago.isoformat()})

    assert listed(workshops, tour) == ["Albert", "Hédauville", "Corbie", "Péronne"]
    assert listed(stops, tour) == ["Albert", "Hédauville", "Corbie", "Péronne"]


def test_the_stops_list_says_the_day_of_the_week_and_the_hours_as_residents_read_them(claire, tour):
    corbie = tour["Corbie"].stop
    html = claire.get(STOPS).content.decode()

    assert f">{capfirst(longdate(corbie.date))}<" in html  # "Mercredi 2 décembre 2026"
    assert f"{hour(corbie.start_time)} – {hour(corbie.end_time)}" in html
    assert hour(corbie.start_time) == "9\u00a0h\u00a030"
