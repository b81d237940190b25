"""A workshop's sign-up link shows only while its sign-ups are open, cached pages included.

Sign-ups close when a workshop starts (or at its deadline) and open at their opening date:
the clock changes what the stop and module pages offer, with no write to make the cached
copy stale. Martine, on her phone at 10:00, looks at a stop of this morning in Amiens.
"""

import datetime as dt

import pytest
import time_machine

from mediation.models import PARIS, Branding
from tests.cms.conftest import NOW, TODAY
from tests.factories import make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db


def signup_link(workshop) -> str:
    return f'href="/ateliers/{workshop.pk}/inscription/"'


def at(hour: int, minute: int = 0, *, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def this_morning(amiens):
    """A stop of today, 9 h 30 to 12 h 30: one workshop started at 9 h 30, one at 11 h."""
    Branding.load()  # made on first use otherwise, which counts as a change
    stop = make_stop(commune=amiens, date=TODAY)
    module = make_module(slug="compte-ameli", title="Créer son compte Ameli")
    started = make_workshop(stop=stop, module=module, start_time=dt.time(9, 30))
    coming = make_workshop(
        stop=stop, module=module, start_time=dt.time(11, 0), end_time=dt.time(12, 0)
    )
    return stop, started, coming


def test_a_workshop_that_has_started_offers_no_sign_up_on_its_stop_page(client, this_morning):
    stop, started, coming = this_morning
    with time_machine.travel(NOW, tick=False):
        html = client.get(f"/escales/{stop.pk}/").content.decode()

    assert signup_link(started) not in html
    assert signup_link(coming) in html
    assert 'id="over"' not in html  # the stop itself runs until 12 h 30


def test_the_cached_stop_page_stops_offering_a_workshop_once_it_starts(client, this_morning):
    stop, _, coming = this_morning
    with time_machine.travel(NOW, tick=False):
        before = client.get(f"/escales/{stop.pk}/").content.decode()
        again = client.get(f"/escales/{stop.pk}/")
    with time_machine.travel(at(11, 0, day=TODAY) + dt.timedelta(seconds=1), tick=False):
        after = client.get(f"/escales/{stop.pk}/").content.decode()

    assert signup_link(coming) in before
    assert again["ETag"]  # served through the cache: the same copy until 11 h
    assert signup_link(coming) not in after


def test_a_stop_that_is_over_says_so_and_leads_to_the_next_stops(client, this_morning, amiens):
    stop, started, coming = this_morning
    with time_machine.travel(at(12, 30), tick=False):
        response = client.get(f"/escales/{stop.pk}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="over"' in html
    assert f'href="/communes/{amiens.slug}/"' in html
    assert signup_link(started) not in html and signup_link(coming) not in html


def test_a_workshop_whose_sign_ups_open_later_says_when_and_offers_them_from_then(client, amiens):
    Branding.load()
    stop = make_stop(commune=amiens, date=TODAY + dt.timedelta(days=10))
    opens = at(9, 0, day=TODAY + dt.timedelta(days=2))
    workshop = make_workshop(stop=stop, signup_opens_at=opens)
    with time_machine.travel(NOW, tick=False):
        before = client.get(f"/escales/{stop.pk}/").content.decode()
    with time_machine.travel(opens, tick=False):
        after = client.get(f"/escales/{stop.pk}/").content.decode()

    assert signup_link(workshop) not in before
    assert "3 décembre 2026, 9\u00a0h" in before  # when they open, as residents read dates
    assert signup_link(workshop) in after


def test_a_workshop_past_its_deadline_says_sign_ups_are_closed(client, amiens):
    Branding.load()
    stop = make_stop(commune=amiens, date=TODAY + dt.timedelta(days=3))
    workshop = make_workshop(stop=stop, signup_closes_at=NOW - dt.timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        html = client.get(f"/escales/{stop.pk}/").content.decode()

    assert signup_link(workshop) not in html
    assert 'class="signup-state"' in html


def test_the_module_page_lists_only_workshops_not_yet_started(client, this_morning):
    _, started, coming = this_morning
    with time_machine.travel(NOW, tick=False):
        before = client.get("/modules/compte-ameli/").content.decode()
    with time_machine.travel(at(11, 0) + dt.timedelta(seconds=1), tick=False):
        after = client.get("/modules/compte-ameli/").content.decode()

    assert signup_link(started) not in before
    assert signup_link(coming) in before
    assert signup_link(coming) not in after


def test_the_module_page_says_when_sign_ups_open_instead_of_a_link(client, amiens):
    Branding.load()
    module = make_module(slug="impots", title="Déclarer ses revenus")
    stop = make_stop(commune=amiens, date=TODAY + dt.timedelta(days=10))
    later = make_workshop(
        stop=stop, module=module, signup_opens_at=at(9, 0, day=TODAY + dt.timedelta(days=2))
    )
    closed = make_workshop(
        stop=stop,
        module=module,
        start_time=dt.time(11, 0),
        end_time=dt.time(12, 0),
        signup_closes_at=NOW - dt.timedelta(hours=1),
    )
    with time_machine.travel(NOW, tick=False):
        html = client.get("/modules/impots/").content.decode()

    assert signup_link(later) not in html and signup_link(closed) not in html
    assert html.count('class="signup-state"') == 2
