"""Series of stops: what generating or re-applying a series would do, and doing it.

`series_plan` writes nothing: it is the preview the coordinator reads (dates, skipped days,
changes to future stops, conflicts). `series_generate` computes the same plan under a lock and
carries it out. Only future stops are touched; a stop edited by hand is an exception the series
leaves alone, and a stop with registrations is never moved, re-timed or cancelled here (its
mediators do follow the series): it is listed for the coordinator, who cancels it through the
stop's own form (which tells its registrants).
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediation.models import Stop, StopSeries, StopStatus
from mediation.planning import registry
from mediation.planning.conflicts import (
    Conflict,
    PlannedStop,
    find_conflicts,
    load_planned,
    planned_from_stops,
)
from mediation.planning.rules import DayOff, OffDays, minutes_between, occurrence_dates
from mediation.tour_cache import tour_changed

# What a series decides for each of its stops (besides the date and the mediators).
SERIES_FIELDS = ("commune_id", "van_id", "place_name", "address", "directions", "start_time",
                 "end_time")  # fmt: skip

# What registrants were told and would turn up for (Stop.FIELDS_REGISTRANTS_KNOW, as the
# series compares them: by attribute): the series never changes it under them. The rest
# (mediators, van, directions) follows the series even at a stop with registrations.
REGISTRANTS_KNOW = frozenset(
    Stop._meta.get_field(name).attname for name in Stop.FIELDS_REGISTRANTS_KNOW
)


# What the coordinator reads for each field a series changes at a stop, in this order.
CHANGE_LABELS = {
    "date": gettext_lazy("date"),
    "start_time": gettext_lazy("hours"),
    "end_time": gettext_lazy("hours"),
    "commune_id": gettext_lazy("commune"),
    "place_name": gettext_lazy("place"),
    "address": gettext_lazy("address"),
    "directions": gettext_lazy("directions"),
    "van_id": gettext_lazy("van"),
    "mediators": gettext_lazy("mediators"),
}


@dataclass
class StopChange:
    stop: Stop
    new_date: dt.date | None
    changed: list[str]
    # Its workshops move with it by as many minutes as its start does.
    shift_minutes: int = 0

    @property
    def changed_labels(self) -> list[str]:
        """What changes at the stop, in words, each once, in the order of the form."""
        labels = []
        for name, lazy_label in CHANGE_LABELS.items():
            label = str(lazy_label)
            if name in self.changed and label not in labels:
                labels.append(label)
        return labels


@dataclass
class Decision:
    """A stop with registrations that the series would move or drop: the coordinator decides."""

    stop: Stop
    registrations: int
    reason: str


@dataclass
class SeriesPlan:
    series: StopSeries
    today: dt.date
    dates: list[dt.date] = field(default_factory=list)
    skipped: list[DayOff] = field(default_factory=list)
    to_create: list[dt.date] = field(default_factory=list)
    to_update: list[StopChange] = field(default_factory=list)
    to_cancel: list[Stop] = field(default_factory=list)
    exceptions: list[Stop] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    # Re-timed, their workshops would fall outside the new hours: left as they are, for the
    # coordinator to settle from the stop's form (they still stand for their visits).
    workshops_outside: list[Stop] = field(default_factory=list)
    unchanged: list[Stop] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    mediator_ids: frozenset[int] = frozenset()

    @property
    def fingerprint(self) -> str:
        """What generating would write, in a few characters: the preview's form carries it,
        so that generating does what the coordinator read, or nothing."""
        writes = [
            [day.isoformat() for day in self.to_create],
            [[c.stop.pk, c.new_date.isoformat(), sorted(c.changed)] for c in self.to_update],
            [stop.pk for stop in self.to_cancel],
            [str(getattr(self.series, name)) for name in SERIES_FIELDS],
            sorted(self.mediator_ids),
        ]
        return hashlib.sha256(json.dumps(writes).encode()).hexdigest()[:20]

    @property
    def writes_anything(self) -> bool:
        return bool(self.to_create or self.to_update or self.to_cancel)

    @property
    def stops_already_planned(self) -> bool:
        """Some stops of the series exist from today on (they keep their own workshops)."""
        return bool(
            self.unchanged
            or self.to_update
            or self.to_cancel
            or self.exceptions
            or self.decisions
            or self.workshops_outside
        )


class SeriesError(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def series_dates(series: StopSeries, *, today: dt.date) -> tuple[list[dt.date], list[DayOff]]:
    """The series' dates from `today` on, and the days skipped (public holidays, closures)."""
    first = max(series.start_date, today)
    candidates = occurrence_dates(
        rule=series.rule,
        weekday=series.weekday,
        start=series.start_date,
        end=series.end_date,
        interval_weeks=series.interval_weeks,
        week_of_month=series.week_of_month,
    )
    off_days = OffDays(first, series.end_date)
    dates, skipped = [], []
    for day in candidates:
        if day < first:
            continue
        day_off = off_days.why(day)
        if day_off:
            skipped.append(day_off)
        else:
            dates.append(day)
    return dates, skipped


def series_plan(
    series: StopSeries, *, today: dt.date | None = None, lock: bool = False
) -> SeriesPlan:
    """What generating the series would do now; writes nothing. A constant number of queries.

    With `lock` (inside a transaction), the series' stops are locked as they are read: a
    stop saved by hand meanwhile is read as saved, and never written back over."""
    today = today or timezone.localdate()
    plan = SeriesPlan(series=series, today=today)
    plan.dates, plan.skipped = series_dates(series, today=today)
    mediator_ids = frozenset(series.mediators.values_list("pk", flat=True))
    plan.mediator_ids = mediator_ids
    # A stop cancelled by hand still stands for its visit (the series must not bring it
    # back); one the series cancelled does not. A visit brought forward by hand to a day now
    # past still stands for its date to come: it is loaded too, and never touched.
    stops = Stop.objects.filter(
        Q(date__gte=today) | Q(occurrence_date__gte=today), series=series
    ).exclude(status=StopStatus.CANCELLED, edited_by_hand=False)
    if lock:
        stops = stops.select_for_update(of=("self",))
    existing = list(stops.select_related("commune").prefetch_related("mediators").order_by("date"))
    seats = registry.occupancy(stop.pk for stop in existing)
    wanted = set(plan.dates)
    taken: set[dt.date] = set()
    leaving: list[Stop] = []
    for stop in existing:
        occurrence = stop.occurrence_date or stop.date
        if occurrence in wanted and occurrence not in taken:
            taken.add(occurrence)
            if stop.edited_by_hand or stop.date < today:
                plan.exceptions.append(stop)
                continue
            changed = _changed_fields(stop, series, mediator_ids)
            if stop.date != occurrence:
                changed.append("date")
            people = _registrations(seats, stop)
            if not changed:
                plan.unchanged.append(stop)
            elif people and REGISTRANTS_KNOW.intersection(changed):
                plan.decisions.append(Decision(stop, people, _change_reason(changed)))
            else:
                plan.to_update.append(StopChange(stop, occurrence, changed))
        else:
            leaving.append(stop)
    # Stops whose date left the series take the new dates in order: a free stop moves there
    # (keeping its calendar event, same UID); an exception or a stop with registrations stays
    # put but still stands for that visit, so the series does not add a second one; unless
    # the visit it stands for is outside the series' dates to come (past, moved by hand to a
    # later day; before its new first date or after its last): those dates are all owed.
    new_dates = [day for day in plan.dates if day not in taken]
    first = max(series.start_date, today)
    for stop in leaving:
        stays = stop.edited_by_hand or stop.date < today
        if stays and not first <= (stop.occurrence_date or stop.date) <= series.end_date:
            plan.exceptions.append(stop)
            continue
        day = new_dates.pop(0) if new_dates else None
        people = _registrations(seats, stop)
        if stays:
            plan.exceptions.append(stop)
        elif people:
            reason = _("the series moved this visit") if day else _("this date left the series")
            plan.decisions.append(Decision(stop, people, reason))
        elif day:
            plan.to_update.append(
                StopChange(stop, day, ["date", *_changed_fields(stop, series, mediator_ids)])
            )
        else:
            plan.to_cancel.append(stop)
    plan.to_create = new_dates
    _take_workshops_along(plan)
    plan.conflicts = _plan_conflicts(plan, mediator_ids)
    return plan


def _take_workshops_along(plan: SeriesPlan) -> None:
    """A re-timed stop's workshops move with its start; a stop whose workshops would then
    fall outside its new hours is not re-timed (one query)."""
    series = plan.series
    retimed = [c for c in plan.to_update if {"start_time", "end_time"} & set(c.changed)]
    spans = registry.hours_spans(c.stop.pk for c in retimed)
    for change in retimed:
        span = spans.get(change.stop.pk)
        if span is None:
            continue
        minutes = minutes_between(change.stop.start_time, series.start_time)
        if registry.shifted_within(span, minutes, opens=series.start_time, closes=series.end_time):
            change.shift_minutes = minutes
        else:
            plan.to_update.remove(change)
            plan.workshops_outside.append(change.stop)


def _change_reason(changed: list[str]) -> str:
    if "date" in changed:
        return _("the series moved this visit")
    if {"start_time", "end_time"}.intersection(changed):
        return _("the series changed its times")
    return _("the series changed its place")


def _registrations(seats: dict, stop: Stop) -> int:
    occupancy = seats.get(stop.pk)
    return occupancy.registrations if occupancy else 0


def _changed_fields(stop: Stop, series: StopSeries, mediator_ids: frozenset[int]) -> list[str]:
    changed = [name for name in SERIES_FIELDS if getattr(stop, name) != getattr(series, name)]
    if frozenset(m.pk for m in stop.mediators.all()) != mediator_ids:
        changed.append("mediators")
    return changed


def _plan_conflicts(plan: SeriesPlan, mediator_ids: frozenset[int]) -> list[Conflict]:
    """Conflicts between the stops the series will have and every other stop of those days."""
    series = plan.series
    # The dates the series' own stops will stand on; a date held by an exception or a stop
    # left for the coordinator's decision is that stop's, as it is (in `kept`).
    dates = sorted(
        {
            *plan.to_create,
            *(c.new_date for c in plan.to_update),
            *(stop.date for stop in plan.unchanged),
        }
    )
    if not dates:
        return []
    point = (float(series.commune.latitude), float(series.commune.longitude))
    label = str(series)
    ours = [
        PlannedStop(
            None,
            day,
            series.start_time,
            series.end_time,
            series.commune.name,
            point,
            series.van_id,
            mediator_ids,
            label,
        )
        for day in dates
    ]
    kept = planned_from_stops(
        [
            *(stop for stop in plan.exceptions if not stop.is_cancelled),
            *(d.stop for d in plan.decisions),
            *plan.workshops_outside,
        ]
    )
    series_stop_ids = Stop.objects.filter(series=series, date__gte=plan.today).values("pk")
    days = set(dates)
    others = [
        stop
        for stop in load_planned(dates[0], dates[-1], exclude_ids=series_stop_ids)
        if stop.date in days
    ]
    proposed = set(ours)
    return [
        conflict
        for conflict in find_conflicts(
            [*ours, *kept, *others], off_days=OffDays(dates[0], dates[-1])
        )
        if any(stop in proposed for stop in conflict.stops)
    ]


@transaction.atomic
def series_generate(
    *, series: StopSeries, today: dt.date | None = None, expected: str | None = None
) -> SeriesPlan:
    """Create, move, update or cancel the series' future stops as `series_plan` says.

    Stops edited by hand and stops with registrations are left as they are and returned in
    the plan (`exceptions`, `decisions`) so the caller can show them. With `expected` (the
    fingerprint of the plan the coordinator read), raises SeriesError `plan_changed` when
    the plan would now write something else (the series, its stops or their registrations
    changed since); a plan that now writes nothing (a second click) just writes nothing.
    """
    locked = (
        StopSeries.objects.select_for_update().select_related("commune", "van").get(pk=series.pk)
    )
    plan = series_plan(locked, today=today, lock=True)
    if expected is not None and plan.writes_anything and plan.fingerprint != expected:
        raise SeriesError(
            "The plan changed since it was previewed: read it again.", code="plan_changed"
        )
    mediator_ids = list(locked.mediators.values_list("pk", flat=True))
    values = {name: getattr(locked, name) for name in SERIES_FIELDS}
    created = Stop.objects.bulk_create(
        [
            Stop(
                series=locked,
                date=day,
                occurrence_date=day,
                status=StopStatus.PLANNED,
                **values,
            )
            for day in plan.to_create
        ]
    )
    Through = Stop.mediators.through
    Through.objects.bulk_create(
        [Through(stop_id=stop.pk, user_id=uid) for stop in created for uid in mediator_ids]
    )
    registry.furnish(created, locked)
    for change in plan.to_update:
        stop = change.stop
        for name, value in values.items():
            setattr(stop, name, value)
        stop.date = stop.occurrence_date = change.new_date
        stop.sequence = F("sequence") + 1
        stop.save()
        stop.refresh_from_db(fields=["sequence"])
        stop.mediators.set(mediator_ids)
    registry.shift_hours({c.stop.pk: c.shift_minutes for c in plan.to_update if c.shift_minutes})
    if plan.to_cancel:
        Stop.objects.filter(pk__in=[stop.pk for stop in plan.to_cancel]).update(
            status=StopStatus.CANCELLED,
            cancellation_reason=_("This date was removed from the tour."),
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
    if plan.to_create or plan.to_update or plan.to_cancel:
        # Bulk writes send no post_save: the public pages, feeds and flyers cached under
        # the former tour must go (mediation/tour_cache.py).
        tour_changed()
    return plan


@dataclass(frozen=True)
class SeriesUpcoming:
    """A series' stops still to come (not cancelled), soonest first, each with its number of
    registrations."""

    stops: list[tuple[Stop, int]]

    @property
    def free(self) -> list[Stop]:
        """Those nobody signed up for."""
        return [stop for stop, people in self.stops if not people]

    @property
    def with_people(self) -> list[Stop]:
        return [stop for stop, people in self.stops if people]


def series_upcoming(
    series: StopSeries, *, today: dt.date | None = None, lock: bool = False
) -> SeriesUpcoming:
    """With `lock` (inside a transaction), the stops are locked as they are read, as
    `series_plan` locks them."""
    today = today or timezone.localdate()
    stops = series.stops.filter(date__gte=today).exclude(status=StopStatus.CANCELLED)
    if lock:
        stops = stops.select_for_update(of=("self",))
    stops = list(stops.select_related("commune").order_by("date", "start_time"))
    seats = registry.occupancy(stop.pk for stop in stops)
    return SeriesUpcoming(stops=[(stop, _registrations(seats, stop)) for stop in stops])


@transaction.atomic
def series_delete(
    *, series: StopSeries, cancel_upcoming: bool, today: dt.date | None = None
) -> list[Stop]:
    """Delete a series: its past stops stay, as the tour's history; its stops to come stay
    too, as stops of their own, unless `cancel_upcoming`: then those nobody signed up for
    are cancelled (calendars drop them) and returned. A stop with registrations is never
    cancelled here: its own form cancels it and tells its registrants."""
    locked = StopSeries.objects.select_for_update().get(pk=series.pk)
    cancelled = series_upcoming(locked, today=today, lock=True).free if cancel_upcoming else []
    if cancelled:
        Stop.objects.filter(pk__in=[stop.pk for stop in cancelled]).update(
            status=StopStatus.CANCELLED,
            cancellation_reason=_("This date was removed from the tour."),
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        # A bulk update sends no post_save: pages, feeds and flyers cached must go.
        tour_changed()
    locked.delete()
    return cancelled
