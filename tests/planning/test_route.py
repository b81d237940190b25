"""The week's route: the solver's order is the shortest, checked against every order."""

import datetime as dt
import random
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from mediation.models import PARIS, Stop
from mediation.planning.route import (
    RouteError,
    best_order,
    brute_force_order,
    route_km,
    week_route,
    week_route_apply,
)
from sessions.models import Workshop
from tests.factories import make_commune, make_module, make_registration, make_stop

MONDAY = dt.date(2027, 1, 11)
AMIENS = (49.894, 2.2957)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_solver_finds_the_shortest_loop_on_six_villages(seed):
    rng = random.Random(seed)
    points = [(49.7 + rng.random() * 0.5, 1.6 + rng.random() * 1.2) for _ in range(6)]
    solver = route_km(AMIENS, [points[i] for i in best_order(AMIENS, points)])
    exact = route_km(AMIENS, [points[i] for i in brute_force_order(AMIENS, points)])
    assert solver == pytest.approx(exact, abs=0.01)
    assert sorted(best_order(AMIENS, points)) == list(range(6))


@pytest.fixture
def zigzag_week(van):
    """Four stops that zigzag east and west of Amiens, one a day."""
    places = [("Ouest-1", "1.9"), ("Est-1", "2.7"), ("Ouest-2", "1.8"), ("Est-2", "2.8")]
    stops = []
    for offset, (name, longitude) in enumerate(places):
        commune = make_commune(name=name, latitude=Decimal("49.9"), longitude=Decimal(longitude))
        stops.append(make_stop(van=van, commune=commune, date=MONDAY + dt.timedelta(days=offset)))
    return stops


@pytest.mark.django_db
def test_the_suggested_order_saves_kilometres_and_is_applied(van, zigzag_week):
    route = week_route(van=van, monday=MONDAY)
    assert route.improves and route.saved_km > 50
    suggested = [stop.commune.name for stop in route.suggested]
    # West with west, east with east.
    assert suggested in (["Ouest-1", "Ouest-2", "Est-2", "Est-1"], ["Est-1", "Est-2", "Ouest-2",
                         "Ouest-1"], ["Ouest-2", "Ouest-1", "Est-1", "Est-2"], ["Est-2",
                         "Est-1", "Ouest-1", "Ouest-2"])  # fmt: skip
    week_route_apply(van=van, monday=MONDAY)
    after = week_route(van=van, monday=MONDAY)
    assert [s.commune.name for s in after.stops] == suggested
    assert after.current_km == pytest.approx(route.suggested_km)
    assert all(stop.sequence >= 0 for stop in after.stops)


@pytest.mark.django_db
def test_the_route_is_not_applied_when_a_moving_stop_has_registrations(van, zigzag_week):
    workshop = Workshop.objects.create(
        stop=zigzag_week[1], module=make_module(), start_time=dt.time(10), end_time=dt.time(11)
    )
    make_registration(workshop=workshop)
    with pytest.raises(RouteError) as refusal:
        week_route_apply(van=van, monday=MONDAY)
    assert refusal.value.code == "has_registrations"
    zigzag_week[1].refresh_from_db()
    assert zigzag_week[1].date == MONDAY + dt.timedelta(days=1)


@pytest.mark.django_db
def test_the_route_of_the_week_under_way_leaves_past_and_todays_stops_in_place(van, zigzag_week):
    # Claire opens the route on Tuesday evening: Monday's and Tuesday's stops took place,
    # whatever order would have been shorter; only Wednesday and Thursday may change.
    with time_machine.travel(dt.datetime(2027, 1, 12, 18, 0, tzinfo=PARIS), tick=False):
        route = week_route(van=van, monday=MONDAY)
        assert route.fixed == zigzag_week[:2]
        assert route.suggested[:2] == zigzag_week[:2]
        week_route_apply(van=van, monday=MONDAY)
    for stop, day in zip(zigzag_week[:2], (MONDAY, MONDAY + dt.timedelta(days=1)), strict=True):
        stop.refresh_from_db()
        assert (stop.date, stop.sequence, stop.edited_by_hand) == (day, 0, False)


@pytest.mark.django_db
def test_the_route_of_a_past_week_moves_nothing(van, zigzag_week):
    with time_machine.travel(dt.datetime(2027, 1, 18, 9, 0, tzinfo=PARIS), tick=False):
        route = week_route(van=van, monday=MONDAY)
        assert not route.improves
        week_route_apply(van=van, monday=MONDAY)
    assert [Stop.objects.get(pk=s.pk).date for s in zigzag_week] == [s.date for s in zigzag_week]


def _a_moving_pair(van):
    """(the stop whose slot is given to another, the stop that takes it) in the suggestion."""
    route = week_route(van=van, monday=MONDAY)
    return next((old, new) for old, new in route.pairs if old.pk != new.pk)


@pytest.mark.django_db
def test_a_stop_moved_by_the_route_takes_its_workshops_along(van, zigzag_week):
    # The slot it takes is an afternoon one: its morning workshop moves with it, else the
    # public page would show a stop from 14:00 with a workshop at 10:00.
    slot, moving = _a_moving_pair(van)
    Stop.objects.filter(pk=slot.pk).update(start_time=dt.time(14), end_time=dt.time(17))
    workshop = Workshop.objects.create(
        stop=moving, module=make_module(), start_time=dt.time(10), end_time=dt.time(11, 30)
    )

    week_route_apply(van=van, monday=MONDAY)

    moving.refresh_from_db()
    workshop.refresh_from_db()
    assert (moving.date, moving.start_time) == (slot.date, dt.time(14))
    assert (workshop.start_time, workshop.end_time) == (dt.time(14, 30), dt.time(16))


@pytest.mark.django_db
def test_the_route_is_not_applied_when_a_stops_workshops_would_not_fit_its_new_slot(
    van, zigzag_week
):
    slot, moving = _a_moving_pair(van)
    Stop.objects.filter(pk=slot.pk).update(start_time=dt.time(14), end_time=dt.time(15))
    Workshop.objects.create(
        stop=moving, module=make_module(), start_time=dt.time(9, 30), end_time=dt.time(12)
    )

    with pytest.raises(RouteError) as refusal:
        week_route_apply(van=van, monday=MONDAY)

    assert refusal.value.code == "workshops_outside_hours"
    assert [Stop.objects.get(pk=s.pk).date for s in zigzag_week] == [s.date for s in zigzag_week]


@pytest.mark.django_db
def test_the_route_page_warns_of_the_conflicts_the_new_order_would_make(client, van, amiens,
                                                                        zigzag_week):  # fmt: skip
    # The stop that would move brings Inès with it, to a day when she is in the other van
    # at the same hours: the page says so before Claire applies the order.
    from mediation.models import Van
    from tests.factories import make_coordinator, make_mediator

    ines = make_mediator("ines")
    slot, moving = _a_moving_pair(van)
    moving.mediators.add(ines)
    other_van = Van.objects.create(name="Bus 2", home_base=amiens)
    make_stop(van=other_van, commune=amiens, date=slot.date).mediators.add(ines)
    route = week_route(van=van, monday=MONDAY)
    assert [c.kind for c in route.new_conflicts] == ["mediator_overlap"]
    assert not week_route(van=other_van, monday=MONDAY).new_conflicts

    client.force_login(make_coordinator())
    html = client.get(reverse("planning:route"), {"van": van.pk, "semaine": MONDAY}).content
    assert b'id="route-conflicts"' in html and b'data-kind="mediator_overlap"' in html
