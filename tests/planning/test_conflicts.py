"""Conflicts are found before they happen, and a clean plan is reported clean."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from mediation.geo import AVERAGE_SPEED_KMH, DETOUR_FACTOR, driving_estimate
from mediation.models import ClosurePeriod, Stop, Van
from mediation.planning.conflicts import conflicts_for_stop, find_conflicts, load_planned
from mediation.planning.series import series_generate, series_plan
from mediation.services import stop_update
from tests.factories import (
    make_commune,
    make_mediator,
    make_registration,
    make_stop,
    make_workshop,
)
from tests.planning.conftest import TODAY, make_series

pytestmark = pytest.mark.django_db
WEDNESDAY = dt.date(2027, 1, 13)


def kinds(first=WEDNESDAY, last=WEDNESDAY):
    return sorted(c.kind for c in find_conflicts(load_planned(first, last)))


def test_driving_estimate_applies_the_detour_factor_and_the_average_speed():
    km, minutes = driving_estimate((49.894, 2.2957), (50.1054, 1.8356))
    # 40.4 km as the crow flies between Amiens and Abbeville.
    assert km == pytest.approx(40.4 * DETOUR_FACTOR, abs=0.5)
    assert minutes == pytest.approx(km / AVERAGE_SPEED_KMH * 60)
    assert driving_estimate((49.9, 2.3), (49.9, 2.3)) == (0.0, 0.0)


def test_the_same_van_in_two_places_at_once(van, amiens, abbeville):
    make_stop(van=van, commune=amiens, date=WEDNESDAY)
    make_stop(van=van, commune=abbeville, date=WEDNESDAY, start_time=dt.time(11))
    assert kinds() == ["van_overlap"]


def test_the_same_mediator_in_two_vans_at_once(van, amiens):
    ines = make_mediator()
    other_van = Van.objects.create(name="Bus 2", home_base=amiens)
    for bus in (van, other_van):
        make_stop(van=bus, commune=amiens, date=WEDNESDAY).mediators.add(ines)
    assert kinds() == ["mediator_overlap"]


def test_two_stops_too_far_apart_to_drive_between(van, amiens, abbeville):
    make_stop(van=van, commune=amiens, date=WEDNESDAY, end_time=dt.time(12))
    # Amiens to Abbeville is about 50 km by road, some 50 minutes: 30 minutes is not enough.
    make_stop(
        van=van, commune=abbeville, date=WEDNESDAY, start_time=dt.time(12, 30),
        end_time=dt.time(16),
    )  # fmt: skip
    conflicts = find_conflicts(load_planned(WEDNESDAY, WEDNESDAY))
    assert [c.kind for c in conflicts] == ["too_far"]
    assert "Abbeville" in conflicts[0].message


def test_conflicts_write_the_communes_as_french_does(van, amiens, abbeville):
    # "à Le Crotoy" and "De Abbeville" are not French: "au Crotoy", "D'Abbeville".
    crotoy = make_commune(
        name="Le Crotoy", latitude=Decimal("50.21590"), longitude=Decimal("1.62520")
    )
    make_stop(van=van, commune=crotoy, date=WEDNESDAY)
    make_stop(van=van, commune=amiens, date=WEDNESDAY, start_time=dt.time(11))
    make_stop(van=van, commune=abbeville, date=WEDNESDAY + dt.timedelta(days=1))
    make_stop(
        van=van, commune=crotoy, date=WEDNESDAY + dt.timedelta(days=1),
        start_time=dt.time(12, 45), end_time=dt.time(16),
    )  # fmt: skip

    with translation.override("fr"):
        messages = [
            c.message
            for c in find_conflicts(load_planned(WEDNESDAY, WEDNESDAY + dt.timedelta(days=1)))
        ]

    assert "Le même bus est prévu au Crotoy et à Amiens en même temps." in messages
    assert any(message.startswith("D’Abbeville au Crotoy, il y a environ") for message in messages)


def test_enough_time_to_drive_is_no_conflict(van, amiens, abbeville):
    make_stop(van=van, commune=amiens, date=WEDNESDAY, end_time=dt.time(12))
    make_stop(
        van=van, commune=abbeville, date=WEDNESDAY, start_time=dt.time(14), end_time=dt.time(17)
    )
    assert kinds() == []


def test_a_stop_on_a_public_holiday_or_in_a_closure(van, amiens):
    make_stop(van=van, commune=amiens, date=dt.date(2027, 7, 14))
    ClosurePeriod.objects.create(
        label="Formation", start_date=dt.date(2027, 9, 6), end_date=dt.date(2027, 9, 10)
    )
    make_stop(van=van, commune=amiens, date=dt.date(2027, 9, 8))
    assert kinds(dt.date(2027, 7, 1), dt.date(2027, 9, 30)) == ["closure", "holiday"]


def test_a_conflict_free_plan_is_reported_clean(van, amiens, abbeville):
    ines, thomas = make_mediator("ines"), make_mediator("thomas")
    other_van = Van.objects.create(name="Bus 2", home_base=amiens)
    make_stop(van=van, commune=amiens, date=WEDNESDAY).mediators.add(ines)
    make_stop(van=other_van, commune=abbeville, date=WEDNESDAY).mediators.add(thomas)
    make_stop(van=van, commune=abbeville, date=WEDNESDAY + dt.timedelta(days=1))
    cancelled = make_stop(van=van, commune=amiens, date=WEDNESDAY, status="cancelled")
    assert kinds(WEDNESDAY, WEDNESDAY + dt.timedelta(days=1)) == []
    assert conflicts_for_stop(cancelled) == []


def test_the_preview_shows_a_conflict_with_a_stop_already_planned(van, amiens, abbeville):
    existing = make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12))
    plan = series_plan(make_series(van, abbeville, end_date=dt.date(2027, 1, 31)), today=TODAY)
    assert [c.kind for c in plan.conflicts] == ["van_overlap"]
    assert plan.conflicts[0].date == dt.date(2027, 1, 12)
    assert any(stop.pk == existing.pk for stop in plan.conflicts[0].stops)


def test_a_stop_for_a_van_out_of_service_is_a_conflict_everywhere(van, amiens, abbeville):
    # Bus 2 goes to the garage for the winter: Claire marks it out of service. Its stops
    # already planned, and a series still on it, must say so before residents turn up.
    garage = Van.objects.create(name="Bus 2", home_base=amiens, is_active=False)
    on_garage = make_stop(van=garage, commune=abbeville, date=WEDNESDAY)
    make_stop(van=van, commune=amiens, date=WEDNESDAY)
    assert kinds() == ["van_out_of_service"]
    assert [c.kind for c in conflicts_for_stop(on_garage)] == ["van_out_of_service"]
    plan = series_plan(make_series(garage, amiens, end_date=dt.date(2027, 1, 31)), today=TODAY)
    assert {c.kind for c in plan.conflicts} == {"van_out_of_service"}


def test_the_preview_does_not_set_the_series_against_the_stops_it_leaves_alone(
    van, amiens, abbeville
):
    # Claire moved the stop of 12 January to the afternoon by hand (the market takes the
    # square that morning), and Odette signed up for 19 January. The series then moves to
    # 10:30: neither stop is the series' any more, so neither clashes with it.
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    series_generate(series=series, today=TODAY)
    afternoon = Stop.objects.get(series=series, date=dt.date(2027, 1, 12))
    afternoon.start_time, afternoon.end_time = dt.time(14), dt.time(17)
    stop_update(stop=afternoon, changed_fields=["start_time", "end_time"])
    make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12), start_time=dt.time(9))
    signed_up = Stop.objects.get(series=series, date=dt.date(2027, 1, 19))
    make_registration(workshop=make_workshop(stop=signed_up))

    series.start_time, series.end_time = dt.time(10, 30), dt.time(13, 30)
    series.save()
    plan = series_plan(series, today=TODAY)
    assert [d.stop.pk for d in plan.decisions] == [signed_up.pk]
    assert [s.pk for s in plan.exceptions] == [afternoon.pk]
    assert plan.conflicts == []


def test_a_stop_inside_a_long_one_conflicts_with_it_even_after_a_stop_in_between(
    van, amiens, abbeville
):
    # Claire planned the van all day in Amiens (9:00 to 17:00), then, by mistake, a morning
    # in Abbeville and an afternoon in Amiens: the afternoon stop is in conflict too.
    all_day = make_stop(van=van, commune=amiens, date=WEDNESDAY, start_time=dt.time(9),
                        end_time=dt.time(17))  # fmt: skip
    make_stop(van=van, commune=abbeville, date=WEDNESDAY, start_time=dt.time(10),
              end_time=dt.time(11))  # fmt: skip
    afternoon = make_stop(van=van, commune=amiens, date=WEDNESDAY, start_time=dt.time(14),
                          end_time=dt.time(15))  # fmt: skip

    [conflict] = conflicts_for_stop(afternoon)
    assert conflict.kind == "van_overlap"
    assert {stop.pk for stop in conflict.stops} == {all_day.pk, afternoon.pk}
    assert kinds() == ["van_overlap", "van_overlap"]
