"""What planning asks of the apps built on the core, without importing them.

An app registers its providers in its AppConfig.ready():

- an *occupancy* provider answers, in one query for any number of stops, how many people are
  registered at each stop and how many seats it offers; a stop with registrations is never
  moved or cancelled by planning without the coordinator deciding;
- a *furnisher* gives newly generated stops what their series asks for (the workshops);
- an *hours check* says what of a stop would fall outside new hours (its workshops), so that
  the stop's form refuses them by the field;
- an *hours span* provider gives, in one query for any number of stops, the first start and
  last end of what is timed at each stop (its workshops), and a *shifter* moves those times
  along with a stop planning re-times (a series' new hours, the week's route).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Occupancy:
    registrations: int = 0
    seats_taken: int = 0
    capacity: int = 0

    def __add__(self, other: "Occupancy") -> "Occupancy":
        return Occupancy(
            self.registrations + other.registrations,
            self.seats_taken + other.seats_taken,
            self.capacity + other.capacity,
        )

    @property
    def fill_rate(self) -> int | None:
        """Seats taken, in per cent of the seats offered; None when nothing is offered."""
        return round(100 * self.seats_taken / self.capacity) if self.capacity else None


OccupancyProvider = Callable[[list[int]], dict[int, Occupancy]]
Furnisher = Callable[[list, object], None]

_occupancy_providers: dict[str, OccupancyProvider] = {}
_furnishers: dict[str, Furnisher] = {}
# (stop's pk, new start, new end) → what would fall outside those hours, in words; "" if none.
HoursCheck = Callable[[int, object, object], str]
_hours_checks: dict[str, HoursCheck] = {}


# stop ids → {stop id: (first start, last end)} of what is timed at the stop.
HoursSpan = Callable[[list[int]], dict[int, tuple[dt.time, dt.time]]]
_hours_spans: dict[str, HoursSpan] = {}
# {stop id: minutes}: move what is timed at each stop by that many minutes.
Shifter = Callable[[dict[int, int]], None]
_shifters: dict[str, Shifter] = {}


def register_hours_span(name: str, provider: HoursSpan) -> None:
    _hours_spans[name] = provider


def register_shifter(name: str, shifter: Shifter) -> None:
    _shifters[name] = shifter


def hours_spans(stop_ids: Iterable[int]) -> dict[int, tuple[dt.time, dt.time]]:
    """The first start and last end of what is timed at each stop (stops with nothing timed
    are left out), over every registered provider."""
    ids = list(stop_ids)
    spans: dict[int, tuple[dt.time, dt.time]] = {}
    if not ids:
        return spans
    for provider in _hours_spans.values():
        for stop_id, (first, last) in provider(ids).items():
            known = spans.get(stop_id)
            spans[stop_id] = (min(known[0], first), max(known[1], last)) if known else (first, last)
    return spans


def shift_hours(minutes_by_stop: dict[int, int]) -> None:
    """Move what is timed at each stop along with the stop (`minutes` later, or earlier)."""
    if not minutes_by_stop:
        return
    for shifter in _shifters.values():
        shifter(minutes_by_stop)


def shifted(span: tuple[dt.time, dt.time], minutes: int) -> tuple[dt.time, dt.time] | None:
    """`span` moved by `minutes`, or None if it would leave the day."""
    first, last = (
        dt.datetime.combine(dt.date.min, t) + dt.timedelta(minutes=minutes) for t in span
    )
    if first.date() != dt.date.min or last.date() != dt.date.min:
        return None
    return first.time(), last.time()


def shifted_within(
    span: tuple[dt.time, dt.time], minutes: int, *, opens: dt.time, closes: dt.time
) -> bool:
    """Whether `span`, moved by `minutes` along with its stop, still falls in its new hours."""
    moved = shifted(span, minutes)
    return moved is not None and opens <= moved[0] and moved[1] <= closes


def register_occupancy_provider(name: str, provider: OccupancyProvider) -> None:
    _occupancy_providers[name] = provider


def register_furnisher(name: str, furnisher: Furnisher) -> None:
    _furnishers[name] = furnisher


def register_hours_check(name: str, check: HoursCheck) -> None:
    _hours_checks[name] = check


def outside_hours(stop_id: int, start, end) -> list[str]:
    """What every app says would fall outside a stop's new hours (empty: nothing)."""
    return [found for check in _hours_checks.values() if (found := check(stop_id, start, end))]


def occupancy(stop_ids: Iterable[int]) -> dict[int, Occupancy]:
    """Registrations and seats per stop, summed over every registered provider."""
    ids = list(stop_ids)
    totals: dict[int, Occupancy] = {}
    if not ids:
        return totals
    for provider in _occupancy_providers.values():
        for stop_id, value in provider(ids).items():
            totals[stop_id] = totals.get(stop_id, Occupancy()) + value
    return totals


def furnish(stops: list, series) -> None:
    """Let every app add what the series asks for to its newly created stops."""
    for furnisher in _furnishers.values():
        furnisher(stops, series)
