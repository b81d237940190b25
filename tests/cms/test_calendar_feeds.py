"""Calendar feeds that phones subscribe to stay right when the tour changes."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from mediation.models import PARIS, Stop, StopStatus
from mediation.services import stop_update
from tests.cms.conftest import TODAY
from tests.factories import (
    make_commune,
    make_coordinator,
    make_epci,
    make_stop,
    make_workshop,
    stop_edit_form,
)

pytestmark = pytest.mark.django_db


def events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def stop(frozen):
    epci = make_epci(slug="cc-du-vimeu")
    commune = make_commune(name="Friville-Escarbotin", slug="friville-escarbotin", epci=epci)
    stop = make_stop(commune=commune, date=TODAY + dt.timedelta(days=6), address="Place Foch")
    make_workshop(stop=stop)
    return stop


def test_the_uid_is_stable_across_requests(client, stop):
    first = events(client.get("/agenda.ics"))
    second = events(client.get("/agenda.ics"))
    assert set(first) == set(second) == {f"escale-{stop.pk}@testserver"}


def test_events_are_in_the_paris_time_zone(client, stop):
    response = client.get("/communes/friville-escarbotin/agenda.ics")
    event = next(iter(events(response).values()))
    assert event.decoded("DTSTART") == dt.datetime.combine(stop.date, dt.time(9, 30), PARIS)
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Paris"
    assert b"BEGIN:VTIMEZONE" in response.content
    assert b"TZID:Europe/Paris" in response.content
    assert "Place Foch" in str(event["LOCATION"])
    assert "Friville-Escarbotin" in str(event["LOCATION"])


def test_a_cancelled_stop_is_cancelled_in_every_feed(client, stop):
    stop.status = StopStatus.CANCELLED
    stop.save()
    for url in [
        "/agenda.ics",
        "/communes/friville-escarbotin/agenda.ics",
        "/intercommunalites/cc-du-vimeu/agenda.ics",
    ]:
        event = events(client.get(url))[f"escale-{stop.pk}@testserver"]
        assert str(event["STATUS"]) == "CANCELLED"


def test_a_commune_feed_holds_only_that_commune(client, stop):
    other = make_stop(commune=make_commune(slug="ailleurs"), date=stop.date)
    assert set(events(client.get("/communes/friville-escarbotin/agenda.ics"))) == {
        f"escale-{stop.pk}@testserver"
    }
    assert set(events(client.get("/communes/ailleurs/agenda.ics"))) == {
        f"escale-{other.pk}@testserver"
    }


def test_editing_a_stop_in_the_admin_makes_its_sequence_grow(client, stop):
    before = events(client.get("/agenda.ics"))[f"escale-{stop.pk}@testserver"]
    coordinator = make_coordinator()
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    # Half an hour earlier (was 9:30): its workshops still fall within its hours.
    form = stop_edit_form(stop, start_time="09:00", end_time="12:30")

    response = client.post(reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    stop.refresh_from_db()
    assert stop.start_time == dt.time(9, 0)
    client.logout()
    after = events(client.get("/agenda.ics"))[f"escale-{stop.pk}@testserver"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART").time() == dt.time(9, 0)


def test_saving_without_a_public_change_keeps_the_sequence(stop):
    stop_update(stop=stop, changed_fields=["mediators"])
    stop_update(stop=stop, changed_fields=[])
    stop.refresh_from_db()
    assert stop.sequence == 0


def test_each_public_change_bumps_the_sequence_once(stop):
    for field in ["date", "status", "place_name"]:
        stop_update(stop=Stop.objects.get(pk=stop.pk), changed_fields=[field])
    stop.refresh_from_db()
    assert stop.sequence == 3


def test_an_unknown_commune_or_epci_feed_is_a_404(client, frozen):
    assert client.get("/communes/nulle-part/agenda.ics").status_code == 404
    assert client.get("/intercommunalites/nulle-part/agenda.ics").status_code == 404


def test_a_feed_without_any_stop_is_still_a_valid_calendar(client, frozen):
    make_commune(slug="sans-escale")
    response = client.get("/communes/sans-escale/agenda.ics")

    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR"
    # RFC 5545 asks for at least one component: the time zone stands in for the events.
    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE"]
    assert not calendar.walk("VEVENT")


def test_the_whole_tour_feed_covers_the_past_month_and_the_next_six_months(client, stop):
    commune = stop.commune
    kept = [
        make_stop(commune=commune, date=TODAY - dt.timedelta(days=30)),
        make_stop(commune=commune, date=TODAY + dt.timedelta(days=183)),
    ]
    left_out = [
        make_stop(commune=commune, date=TODAY - dt.timedelta(days=31)),
        make_stop(commune=commune, date=TODAY + dt.timedelta(days=184)),
    ]

    uids = set(events(client.get("/agenda.ics")))

    assert {f"escale-{s.pk}@testserver" for s in [stop, *kept]} == uids
    assert not {f"escale-{s.pk}@testserver" for s in left_out} & uids


def test_long_and_accented_text_survives_the_feed_as_a_phone_reads_it(client, stop):
    stop.directions = "Derrière l'église; à côté du café, près de la fontaine \\ " * 4
    stop.save()

    event = events(client.get("/agenda.ics"))[f"escale-{stop.pk}@testserver"]

    assert stop.directions.strip() in str(event["DESCRIPTION"])
    assert all(len(line) <= 75 for line in client.get("/agenda.ics").content.split(b"\r\n"))


def test_a_phone_subscribed_to_le_crotoy_reads_au_crotoy_in_its_calendar(client, frozen):
    # "Le Bus numérique à Le Crotoy" was each event's title in the resident's calendar.
    commune = make_commune(name="Le Crotoy", slug="le-crotoy-test")
    stop = make_stop(commune=commune, date=TODAY + dt.timedelta(days=6))

    event = events(client.get("/communes/le-crotoy-test/agenda.ics"))[
        f"escale-{stop.pk}@testserver"
    ]

    for text in (str(event["SUMMARY"]), str(event["DESCRIPTION"])):
        assert "Crotoy" in text
        assert "à Le Crotoy" not in text
