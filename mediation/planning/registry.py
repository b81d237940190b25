"""What planning asks of the apps built on the core, without importing them.

An app registers its providers in its AppConfig.ready():

- an *occupancy* provider answers, in one query for any number of stops, how many people are
  registered at each stop and how many seats it offers; a stop with registrations is never
  moved or cancelled by planning without the coordinator deciding;
- a *furnisher* gives newly generated stops what their series asks for (the workshops);
- an *hours check* says what of a stop would fall outside new hours (its workshops), so that
  the stop's form refuses them by the field.
"""

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
