"""The week's route: in which order should a van visit this week's communes?

The week's route leaves the van's home base, visits the week's stops in order and comes back.
The solver is VROOM (through pyvroom) on a matrix of `mediation.geo.driving_estimate`
distances; the week's time slots stay where they are and the communes are shared out among
them in the suggested order. Applying it moves stops between slots, so it is refused while one
of them has registrations (the residents signed up for a date).
"""

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import vroom
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mediation.geo import driving_estimate
from mediation.models import Stop, Van
from mediation.planning import registry
from mediation.planning.conflicts import Conflict, find_conflicts, load_planned, stop_point
from mediation.planning.rules import OffDays, minutes_between

Point = tuple[float, float]


def route_km(base: Point, points: list[Point]) -> float:
    """Kilometres of the loop base → points in order → base."""
    path = [base, *points, base]
    return sum(driving_estimate(a, b)[0] for a, b in itertools.pairwise(path))


def best_order(base: Point, points: list[Point]) -> list[int]:
    """Indices of `points` in the order that makes the shortest loop from `base` (VROOM)."""
    if len(points) < 3:
        # Two points: both orders make the same loop; keep the current one.
        return list(range(len(points)))
    places = [base, *points]
    metres = np.array(
        [[round(driving_estimate(a, b)[0] * 1000) for b in places] for a in places],
        dtype=np.uint32,
    )
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=metres)
    problem.add_vehicle(vroom.Vehicle(1, start=0, end=0))
    problem.add_job([vroom.Job(index, location=index) for index in range(1, len(places))])
    solution = problem.solve(exploration_level=5, nb_threads=1)
    jobs = solution.routes[solution.routes["type"] == "job"]
    return [int(location) - 1 for location in jobs["location_index"]]


def brute_force_order(base: Point, points: list[Point]) -> list[int]:
    """The exact answer by trying every order; for checking the solver on small cases."""
    return list(
        min(
            itertools.permutations(range(len(points))),
            key=lambda order: route_km(base, [points[i] for i in order]),
        )
    )


@dataclass
class WeekRoute:
    van: Van
    monday: dt.date
    stops: list[Stop] = field(default_factory=list)
    suggested: list[Stop] = field(default_factory=list)
    current_km: float = 0.0
    suggested_km: float = 0.0
    blocked_by: list[Stop] = field(default_factory=list)
    # Today's and past stops: they stay in their slots.
    fixed: list[Stop] = field(default_factory=list)
    # Conflicts the suggested order would make that the week has not now (a moved stop's
    # mediators elsewhere at its new hours, a holiday, a drive too long).
    new_conflicts: list[Conflict] = field(default_factory=list)

    @property
    def saved_km(self) -> float:
        return max(self.current_km - self.suggested_km, 0.0)

    @property
    def improves(self) -> bool:
        return self.saved_km >= 0.5 and self.suggested != self.stops

    @property
    def moving_blocked(self) -> list[Stop]:
        """Stops with registrations that the suggested order would move."""
        moving = {new.pk for old, new in self.pairs if old.pk != new.pk}
        return [stop for stop in self.blocked_by if stop.pk in moving]

    @property
    def pairs(self) -> list[tuple[Stop, Stop]]:
        """(slot as it is now, commune suggested for that slot)."""
        return list(zip(self.stops, self.suggested, strict=True))


class RouteError(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def week_route(
    *, van: Van, monday: dt.date, today: dt.date | None = None, lock: bool = False
) -> WeekRoute:
    """The van's stops of the week in their order, and the order the solver suggests.

    Only the stops after today are shared out again: today's and past ones stay where they
    are (they happened, or are under way), at the start of the loop. With `lock` (inside a
    transaction) the stops are locked as they are read: one saved by hand meanwhile is read
    as saved, and never written back over.
    """
    today = today or timezone.localdate()
    week = Stop.objects.of_van(van).not_cancelled().between(monday, monday + dt.timedelta(days=6))
    if lock:
        week = week.select_for_update(of=("self",))
    stops = list(week.select_related("commune").order_by("date", "start_time"))
    base = (float(van.home_base.latitude), float(van.home_base.longitude))
    points = [stop_point(stop) for stop in stops]
    fixed = sum(1 for stop in stops if stop.date <= today)
    order = best_order(base, points[fixed:])
    # A loop read backwards is as long: keep the direction closest to the current order.
    if order and order != sorted(order) and order[::-1] == sorted(order):
        order = order[::-1]
    order = [*range(fixed), *(fixed + i for i in order)]
    route = WeekRoute(van=van, monday=monday, stops=stops, fixed=stops[:fixed])
    route.suggested = [stops[i] for i in order]
    route.current_km = route_km(base, points)
    route.suggested_km = route_km(base, [points[i] for i in order])
    seats = registry.occupancy(stop.pk for stop in stops)
    route.blocked_by = [s for s in stops if seats.get(s.pk) and seats[s.pk].registrations]
    if route.improves:
        route.new_conflicts = _conflicts_made(route)
    return route


def _conflicts_made(route: WeekRoute) -> list[Conflict]:
    """The conflicts, among every van's stops of the week, that moving the stops into their
    suggested slots would make and that do not exist now."""
    slots = {new.pk: old for old, new in route.pairs if old.pk != new.pk}
    sunday = route.monday + dt.timedelta(days=6)
    week = load_planned(route.monday, sunday)
    after = [
        replace(
            planned,
            date=slots[planned.pk].date,
            start_time=slots[planned.pk].start_time,
            end_time=slots[planned.pk].end_time,
        )
        if planned.pk in slots
        else planned
        for planned in week
    ]
    off_days = OffDays(route.monday, sunday)

    def key(conflict: Conflict) -> tuple:
        return conflict.kind, frozenset(stop.pk for stop in conflict.stops)

    now = {key(conflict) for conflict in find_conflicts(week, off_days=off_days)}
    return [
        conflict
        for conflict in find_conflicts(after, off_days=off_days)
        if key(conflict) not in now and any(stop.pk in slots for stop in conflict.stops)
    ]


@transaction.atomic
def week_route_apply(*, van: Van, monday: dt.date, today: dt.date | None = None) -> WeekRoute:
    """Give the week's slots after today (date and times) to the stops in the suggested order.

    Raises RouteError `has_registrations` when a stop that would move has registrations, and
    `workshops_outside_hours` when a stop's workshops, moved along with it (by as many
    minutes as its start), would not fit its new slot.
    """
    Van.objects.select_for_update().get(pk=van.pk)
    route = week_route(van=van, monday=monday, today=today, lock=True)
    if route.moving_blocked:
        raise RouteError("Residents registered for one of these stops.", code="has_registrations")
    slots = [(stop.date, stop.start_time, stop.end_time) for stop in route.stops]
    moves = [
        (stop, slot)
        for slot, stop in zip(slots, route.suggested, strict=True)
        if (stop.date, stop.start_time, stop.end_time) != slot
    ]
    spans = registry.hours_spans(stop.pk for stop, _slot in moves)
    shifts = {}
    for stop, (_day, start, end) in moves:
        minutes = minutes_between(stop.start_time, start)
        if stop.pk in spans:
            if not registry.shifted_within(spans[stop.pk], minutes, opens=start, closes=end):
                raise RouteError(
                    "A stop's workshops would not fit its new slot.",
                    code="workshops_outside_hours",
                )
            shifts[stop.pk] = minutes
    for stop, (day, start, end) in moves:
        stop.date, stop.start_time, stop.end_time = day, start, end
        stop.edited_by_hand = stop.series_id is not None
        stop.sequence = F("sequence") + 1
        stop.save()
        stop.refresh_from_db(fields=["sequence"])
    registry.shift_hours({pk: minutes for pk, minutes in shifts.items() if minutes})
    return route
