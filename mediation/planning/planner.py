"""The planner's calendar: a van's stops by week, with fill rates, conflicts and kilometres.

A constant number of queries whatever the number of stops: the stops of the period (every
van's, for mediators' conflicts), their mediators, their seats, the closure periods.
"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from mediation.models import Stop, Van
from mediation.planning import registry
from mediation.planning.conflicts import Conflict, find_conflicts, planned_from_stops, stop_point
from mediation.planning.route import route_km
from mediation.planning.rules import DayOff, OffDays


@dataclass
class PlannerStop:
    stop: Stop
    occupancy: registry.Occupancy
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class PlannerDay:
    date: dt.date
    in_period: bool
    day_off: DayOff | None
    stops: list[PlannerStop] = field(default_factory=list)


@dataclass
class PlannerWeek:
    monday: dt.date
    days: list[PlannerDay]
    km: float = 0.0
    # The same loop through the stops of the days inside the period only: a month's total
    # must not count the days of the weeks it shares with the months around it.
    period_km: float = 0.0

    @property
    def stop_count(self) -> int:
        """Stops that will happen (not cancelled) this week."""
        return sum(1 for day in self.days for item in day.stops if not item.stop.is_cancelled)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def planner_weeks(*, van: Van, first: dt.date, last: dt.date) -> list[PlannerWeek]:
    """Whole weeks (Monday to Sunday) covering first..last; days outside are `in_period=False`."""
    monday = first - dt.timedelta(days=first.weekday())
    sunday = last + dt.timedelta(days=6 - last.weekday())
    stops = list(
        Stop.objects.between(monday, sunday)
        .select_related("commune")
        .prefetch_related("mediators")
        .order_by("date", "start_time")
    )
    active = [stop for stop in stops if not stop.is_cancelled]
    conflicts = find_conflicts(planned_from_stops(active), off_days=OffDays(monday, sunday))
    by_stop: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for planned in conflict.stops:
            by_stop[planned.pk].append(conflict)
    ours = [stop for stop in stops if stop.van_id == van.pk]
    seats = registry.occupancy(stop.pk for stop in ours)
    off_days = OffDays(monday, sunday)
    by_day: dict[dt.date, list[PlannerStop]] = defaultdict(list)
    for stop in ours:
        by_day[stop.date].append(
            PlannerStop(stop, seats.get(stop.pk, registry.Occupancy()), by_stop.get(stop.pk, []))
        )
    base = (float(van.home_base.latitude), float(van.home_base.longitude))
    weeks = []
    day = monday
    while day <= sunday:
        days = [
            PlannerDay(
                d,
                first <= d <= last,
                off_days.why(d),
                by_day.get(d, []),
            )
            for d in (day + dt.timedelta(days=i) for i in range(7))
        ]
        inside = [d for d in days if d.in_period]
        weeks.append(PlannerWeek(day, days, _loop_km(base, days), _loop_km(base, inside)))
        day += dt.timedelta(weeks=1)
    return weeks


def _loop_km(base, days: list[PlannerDay]) -> float:
    """The van's loop from its base through the running stops of these days, back home."""
    points = [stop_point(p.stop) for d in days for p in d.stops if not p.stop.is_cancelled]
    return route_km(base, points) if points else 0.0
