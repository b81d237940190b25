"""Conflicts found before they happen.

- `van_overlap`: the same van in two places at once;
- `mediator_overlap`: the same mediator in two places at once;
- `too_far`: two stops of the same van, or the same mediator, on one day, without the time to
  drive from the first to the second (`mediation.geo.driving_estimate`);
- `holiday` and `closure`: a stop on a French public holiday or in a closure period;
- `van_out_of_service`: a stop planned for a van marked out of service.

Works on `PlannedStop` values, so the same check runs on stops that exist and on stops a
series would create; cancelled stops never conflict.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mediation.geo import driving_estimate
from mediation.models import Stop, Van
from mediation.planning.rules import OffDays, minutes_between
from mediation.text import with_french_prepositions


@dataclass(frozen=True)
class PlannedStop:
    """A stop as planning sees it: existing (pk set) or only proposed (pk None)."""

    pk: int | None
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    commune_name: str
    point: tuple[float, float]
    van_id: int | None = None
    mediator_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = ""

    @property
    def key(self) -> tuple:
        return (self.pk, self.date, self.start_time, self.van_id, self.commune_name)


@dataclass(frozen=True)
class Conflict:
    """A conflict and what its message needs: the message is written when read, since a
    dashboard counts every conflict of three months and shows the first thirty."""

    kind: str
    date: dt.date
    stops: tuple[PlannedStop, ...]
    # The reason a day is off, the van out of service, or the drive's km, minutes and gap.
    details: tuple = ()

    def involves(self, pk: int) -> bool:
        return any(stop.pk == pk for stop in self.stops)

    @property
    def message(self) -> str:
        first = self.stops[0]
        if self.kind in ("holiday", "closure"):
            (reason,) = self.details
            return _("%(commune)s falls on a %(reason)s.") % {
                "commune": first.commune_name,
                "reason": reason,
            }
        if self.kind == "van_out_of_service":
            (van,) = self.details
            return _("%(commune)s: %(van)s is out of service.") % {
                "commune": first.commune_name,
                "van": van,
            }
        second = self.stops[1]
        if self.kind == "too_far":
            km, minutes, gap = self.details
            message = _(
                "%(a)s to %(b)s is about %(km)d km, %(minutes)d minutes' drive, "
                "but only %(gap)d minutes separate the two stops."
            ) % {
                "a": first.commune_name,
                "b": second.commune_name,
                "km": round(km),
                "minutes": round(minutes),
                "gap": gap,
            }
        else:
            message = (
                _("The same van is planned at %(a)s and %(b)s at the same time.")
                if self.kind == "van_overlap"
                else _("The same mediator is planned at %(a)s and %(b)s at the same time.")
            ) % {"a": first.commune_name, "b": second.commune_name}
        # "au Crotoy", "d'Abbeville", not "à Le Crotoy", "de Abbeville".
        for name in (first.commune_name, second.commune_name):
            message = with_french_prepositions(message, name)
        return message


def planned_from_stops(stops: Iterable[Stop]) -> list[PlannedStop]:
    """Stops loaded with select_related("commune") and prefetch_related("mediators")."""
    return [
        PlannedStop(
            pk=stop.pk,
            date=stop.date,
            start_time=stop.start_time,
            end_time=stop.end_time,
            commune_name=stop.commune.name,
            point=stop_point(stop),
            van_id=stop.van_id,
            mediator_ids=frozenset(m.pk for m in stop.mediators.all()),
        )
        for stop in stops
    ]


def stop_point(stop: Stop) -> tuple[float, float]:
    if stop.latitude is not None and stop.longitude is not None:
        return float(stop.latitude), float(stop.longitude)
    return float(stop.commune.latitude), float(stop.commune.longitude)


def load_planned(first: dt.date, last: dt.date, *, exclude_ids: Iterable = ()) -> list:
    """Every stop that is not cancelled between two dates, in two queries of plain values
    (no model instances: the check runs over years of stops)."""
    stops = Stop.objects.not_cancelled().between(first, last).exclude(pk__in=exclude_ids)
    mediators: dict[int, set[int]] = defaultdict(set)
    through = Stop.mediators.through.objects.filter(stop__in=stops.values("pk"))
    for stop_id, user_id in through.values_list("stop_id", "user_id"):
        mediators[stop_id].add(user_id)
    rows = stops.values_list(
        "pk", "date", "start_time", "end_time", "van_id", "commune__name",
        "latitude", "longitude", "commune__latitude", "commune__longitude",
    )  # fmt: skip
    return [
        PlannedStop(
            pk=pk,
            date=date,
            start_time=start,
            end_time=end,
            commune_name=name,
            point=(float(lat), float(lon))
            if lat is not None and lon is not None
            else (float(commune_lat), float(commune_lon)),
            van_id=van_id,
            mediator_ids=frozenset(mediators.get(pk, ())),
        )
        for pk, date, start, end, van_id, name, lat, lon, commune_lat, commune_lon in rows
    ]


def find_conflicts(stops: list[PlannedStop], *, off_days: OffDays | None = None) -> list[Conflict]:
    """Every conflict among `stops`, sorted by date. O(n log n) in the number of stops, plus
    the pairs that overlap."""
    if not stops:
        return []
    if off_days is None:
        off_days = OffDays(min(s.date for s in stops), max(s.date for s in stops))
    conflicts: list[Conflict] = []
    for stop in stops:
        day_off = off_days.why(stop.date)
        if day_off:
            conflicts.append(Conflict(day_off.kind, stop.date, (stop,), (day_off.reason,)))
    out_of_service = dict(Van.objects.filter(is_active=False).values_list("pk", "name"))
    for stop in stops:
        if stop.van_id in out_of_service:
            conflicts.append(
                Conflict("van_out_of_service", stop.date, (stop,), (out_of_service[stop.van_id],))
            )
    by_van: dict[tuple, list[PlannedStop]] = defaultdict(list)
    by_mediator: dict[tuple, list[PlannedStop]] = defaultdict(list)
    for stop in stops:
        if stop.van_id is not None:
            by_van[(stop.van_id, stop.date)].append(stop)
        for mediator_id in stop.mediator_ids:
            by_mediator[(mediator_id, stop.date)].append(stop)
    seen: set[tuple] = set()
    for groups, overlap_kind in ((by_van, "van_overlap"), (by_mediator, "mediator_overlap")):
        for day_stops in groups.values():
            if len(day_stops) > 1:
                conflicts.extend(_day_conflicts(day_stops, overlap_kind, seen))
    conflicts.sort(key=lambda c: (c.date, c.kind))
    return conflicts


def _day_conflicts(day_stops: list[PlannedStop], overlap_kind: str, seen: set) -> list[Conflict]:
    found = []
    day_stops = sorted(day_stops, key=lambda s: (s.start_time, s.end_time))
    for index, first in enumerate(day_stops):
        # Every later stop that starts before this one ends overlaps it, not only the next
        # one: a stop all day long overlaps each of the short ones planned inside it.
        for second in day_stops[index + 1 :]:
            if second.start_time >= first.end_time:
                break
            _report(found, seen, overlap_kind, first, second)
        following = day_stops[index + 1] if index + 1 < len(day_stops) else None
        if following is None or following.start_time < first.end_time:
            continue
        km, minutes = driving_estimate(first.point, following.point)
        gap = minutes_between(first.end_time, following.start_time)
        if minutes <= gap:
            continue
        _report(found, seen, "too_far", first, following, (km, minutes, gap))
    return found


def _report(found: list, seen: set, kind: str, first, second, details: tuple = ()) -> None:
    # A pair that shares van and mediators is reported once, as the van's conflict.
    seen_key = ("too_far" if kind == "too_far" else "overlap", (first.key, second.key))
    if seen_key in seen:
        return
    seen.add(seen_key)
    found.append(Conflict(kind, first.date, (first, second), details))


def conflicts_for_stop(stop: Stop) -> list[Conflict]:
    """Conflicts that involve this stop, against the other stops of its day."""
    if stop.pk is None or stop.is_cancelled:
        return []
    day = load_planned(stop.date, stop.date)
    return [c for c in find_conflicts(day) if c.involves(stop.pk)]


def upcoming_conflicts(*, today: dt.date, days: int = 90) -> list[Conflict]:
    """Conflicts among the stops of the coming `days` days (coordinators' dashboard)."""
    last = today + dt.timedelta(days=days)
    return find_conflicts(load_planned(today, last), off_days=OffDays(today, last))
