"""Private calendars: a mediator's own stops, a van's, at a secret address that can be revoked."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from mediation.ical import stop_uid
from mediation.models import PrivateFeed, StopStatus
from mediation.planning.feeds import private_feed_create, private_feed_revoke
from tests.factories import make_mediator, make_stop

pytestmark = pytest.mark.django_db


def feed_path(token: str) -> str:
    return reverse("private_feed", kwargs={"token": token})


def events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_a_mediator_subscribes_to_her_own_stops_only(client, frozen, van, amiens):
    ines, thomas = make_mediator("ines"), make_mediator("thomas")
    hers = make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12))
    hers.mediators.add(ines)
    make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 13)).mediators.add(thomas)
    _feed, token = private_feed_create(user=ines)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert [str(e["uid"]) for e in events(response)] == [stop_uid(hers.pk)]


def test_a_van_feed_lists_the_vans_stops(client, frozen, van, amiens):
    ours = make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12))
    make_stop(commune=amiens, date=dt.date(2027, 1, 12))
    _feed, token = private_feed_create(van=van)
    found = events(client.get(feed_path(token)))
    assert [e["summary"] for e in found] == [f"{amiens.name} – {ours.place_name}"]


def test_an_event_gives_the_paris_hours_the_van_the_mediators_and_a_cancellation(
    client, frozen, van, amiens
):
    ines = make_mediator("ines")
    ines.first_name, ines.last_name = "Inès", "Martin"
    ines.save()
    stop = make_stop(
        van=van,
        commune=amiens,
        date=dt.date(2027, 7, 12),  # summer time: 9:30 in Paris is 7:30 UTC
        start_time=dt.time(9, 30),
        end_time=dt.time(12, 0),
        place_name="Salle des fêtes",
        address="2 rue de l’Église",
        status=StopStatus.CANCELLED,
        cancellation_reason="Route coupée, la tournée reprend lundi",
    )
    stop.mediators.add(ines)
    _feed, token = private_feed_create(van=van)

    calendar = Calendar.from_ical(client.get(feed_path(token)).content)
    (event,) = calendar.walk("VEVENT")

    paris = ZoneInfo("Europe/Paris")
    assert event.decoded("dtstart") == dt.datetime(2027, 7, 12, 9, 30, tzinfo=paris)
    assert event.decoded("dtend") == dt.datetime(2027, 7, 12, 12, 0, tzinfo=paris)
    assert event.decoded("dtstart").astimezone(dt.UTC).hour == 7
    assert str(event["status"]) == "CANCELLED"
    assert str(event["location"]) == f"Salle des fêtes, 2 rue de l’Église, {amiens.name}"
    description = str(event["description"])
    assert "Bus 1" in description
    assert "Inès Martin" in description
    assert "Route coupée, la tournée reprend lundi" in description
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_a_feed_with_no_stop_yet_is_still_a_calendar_phones_accept(client, frozen, van):
    _feed, token = private_feed_create(van=van)

    calendar = Calendar.from_ical(client.get(feed_path(token)).content)

    assert calendar.walk("VEVENT") == []
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert "Bus 1" in str(calendar["x-wr-calname"])


def test_a_feed_costs_the_same_queries_for_two_stops_or_thirty(client, frozen, van, amiens):
    ines = make_mediator("ines")
    _feed, token = private_feed_create(van=van)

    def queries_for_the_feed() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_path(token)).status_code == 200
        return len(queries)

    def add_stops(number: int) -> None:
        for day in range(number):
            stop = make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 4) + dt.timedelta(day))
            stop.mediators.add(ines)

    add_stops(2)
    with_two = queries_for_the_feed()
    add_stops(28)
    assert queries_for_the_feed() == with_two


def test_a_revoked_address_is_refused(client, frozen, van):
    feed, token = private_feed_create(van=van)
    private_feed_revoke(feed=feed)
    assert client.get(feed_path(token)).status_code == 404


def test_a_new_address_revokes_the_old_one_and_only_a_hash_is_kept(client, frozen, van):
    _old, old_token = private_feed_create(van=van)
    _new, new_token = private_feed_create(van=van)
    assert client.get(feed_path(old_token)).status_code == 404
    assert client.get(feed_path(new_token)).status_code == 200
    assert not PrivateFeed.objects.filter(token_hash=new_token).exists()
    assert client.get(feed_path("made-up-token")).status_code == 404


def test_a_mediator_makes_her_address_in_the_back_office_and_sees_it_once(client, frozen):
    ines = make_mediator("ines")
    client.force_login(ines)
    response = client.post(reverse("planning:calendar_create"), follow=True)
    url = response.context["new_url"]
    assert url.startswith("http") and "/agenda/prive/" in url
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    assert client.get(feed_path(token)).status_code == 200
    assert client.get(reverse("planning:calendars")).context["new_url"] == ""


def test_a_mediator_cannot_make_an_address_for_a_van_or_revoke_anothers(client, frozen, van):
    ines, thomas = make_mediator("ines"), make_mediator("thomas")
    his, _token = private_feed_create(user=thomas)
    client.force_login(ines)
    # The admin turns a refusal into a redirect to the dashboard with a message.
    client.post(reverse("planning:calendar_create"), {"van": van.pk})
    client.post(reverse("planning:calendar_revoke", args=[his.pk]))
    assert not PrivateFeed.objects.filter(van=van).exists()
    his.refresh_from_db()
    assert his.revoked_at is None


def test_the_addresses_in_use_name_each_mediator_as_the_picker_does(client, frozen, coordinator):
    # Claire picks "Inès Dubois" to make an address; the list of addresses in use must say
    # "Inès Dubois" too, not the login "ines", or she revokes the wrong one.
    ines = make_mediator("ines")
    ines.first_name, ines.last_name = "Inès", "Dubois"
    ines.save()
    private_feed_create(user=ines)
    client.force_login(coordinator)
    html = client.get(reverse("planning:calendars")).content.decode()
    in_use = html.split('id="feeds-in-use"', 1)[1]
    assert "Inès Dubois —" in in_use and "ines —" not in in_use


def test_the_address_of_a_mediator_who_left_stops_working(client, frozen, van, amiens):
    # Inès leaves the operator; Claire closes her account. Her phone must no longer receive
    # the tour (places, directions, colleagues' names), though nobody thought to revoke it.
    ines = make_mediator("ines")
    make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12)).mediators.add(ines)
    _feed, token = private_feed_create(user=ines)
    _van_feed, van_token = private_feed_create(van=van)
    ines.is_active = False
    ines.save()

    assert client.get(feed_path(token)).status_code == 404
    assert client.get(feed_path(van_token)).status_code == 200
