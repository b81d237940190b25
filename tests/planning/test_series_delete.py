"""Claire deletes a series of stops: she is told what becomes of its stops to come, and may
cancel those nobody signed up for with it; its past stops and its stops with registrants
stay."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from mediation.models import Stop, StopSeries, StopStatus
from mediation.planning.series import series_generate
from sessions.models import Workshop
from tests.factories import make_module, make_registration
from tests.planning.conftest import TODAY, make_series

pytestmark = pytest.mark.django_db

SIGNED_UP_DAY = dt.date(2027, 1, 19)


@pytest.fixture
def series(van, abbeville, frozen):
    """Every Tuesday from 1 December 2026 to the end of February 2027, made in December:
    five Tuesdays past by now, eight to come, one of which Odette signed up for."""
    series = make_series(
        van, abbeville, start_date=dt.date(2026, 12, 1), end_date=dt.date(2027, 2, 28)
    )
    series_generate(series=series, today=dt.date(2026, 12, 1))
    signed_up = Stop.objects.get(series=series, date=SIGNED_UP_DAY)
    make_registration(
        workshop=Workshop.objects.create(
            stop=signed_up, module=make_module(), start_time=dt.time(10), end_time=dt.time(11)
        ),
        first_name="Odette",
    )
    return series


@pytest.fixture
def claire(client, coordinator, frozen):
    client.force_login(coordinator)
    return client


def delete_url(series) -> str:
    return reverse("wagtailsnippets_mediation_stopseries:delete", args=[series.pk])


def test_claire_reads_what_becomes_of_the_stops_to_come_before_deleting(claire, series):
    html = claire.get(delete_url(series)).content.decode()

    assert "Ses 8 escales à venir restent au programme" in html
    start = html.index('id="series-stops-to-come"')
    listed = html[start : html.index("</ul>", start)]
    assert listed.count("<li>") == 8
    assert listed.index("Mardi 12 janvier 2027") < listed.index(
        "Mardi 19 janvier 2027, Abbeville — 1 inscription\u00a0: elle reste"
    )
    assert "Mardi 26 janvier 2027, Abbeville — personne n’est inscrit" in listed
    signed_up = Stop.objects.get(series=series, date=SIGNED_UP_DAY)
    assert reverse("wagtailsnippets_mediation_stop:edit", args=[signed_up.pk]) in html
    assert 'name="cancel_upcoming" value="1" id="id_cancel_upcoming" checked' in html
    assert "Annuler aussi ses 7 escales à venir où personne n’est inscrit" in html
    assert StopSeries.objects.filter(pk=series.pk).exists()  # reading deletes nothing


def test_deleting_with_its_stops_to_come_cancels_those_nobody_signed_up_for(claire, series):
    response = claire.post(delete_url(series), {"cancel_upcoming": "1"}, follow=True)

    assert not StopSeries.objects.filter(pk=series.pk).exists()
    stops = Stop.objects.filter(place_name="Place de la mairie").order_by("date")
    past = [stop for stop in stops if stop.date < TODAY]
    to_come = {stop.date: stop for stop in stops if stop.date >= TODAY}
    assert len(past) == 5 and all(stop.status != StopStatus.CANCELLED for stop in past)
    assert to_come[SIGNED_UP_DAY].status != StopStatus.CANCELLED  # Odette's: its form tells her
    cancelled = [stop for day, stop in to_come.items() if day != SIGNED_UP_DAY]
    assert len(cancelled) == 7
    assert all(stop.status == StopStatus.CANCELLED for stop in cancelled)
    assert all(stop.sequence == 1 for stop in cancelled)  # calendars drop them
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("7 escales à venir ont été annulées." in message for message in said)


def test_deleting_without_them_leaves_every_stop_in_the_tour_on_its_own(claire, series):
    claire.post(delete_url(series), {})

    assert not StopSeries.objects.filter(pk=series.pk).exists()
    stops = Stop.objects.filter(place_name="Place de la mairie")
    assert stops.count() == 13
    assert not stops.filter(status=StopStatus.CANCELLED).exists()
    assert not stops.filter(series__isnull=False).exists()
