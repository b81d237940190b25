"""What the tour planner needs from workshops: seats and registrations per stop, and the
workshops a series asks its new stops to offer. Registered in WorkshopsConfig.ready()."""

import datetime as dt

from django.db.models import Count, Max, Min, Q, Sum
from django.utils.translation import gettext as _

from mediation.planning.registry import Occupancy, shifted
from mediation.templatetags.french_dates import hours
from sessions.models import RegistrationStatus, Workshop


def stop_occupancy(stop_ids: list[int]) -> dict[int, Occupancy]:
    """One query, whatever the number of stops."""
    rows = (
        Workshop.objects.filter(stop_id__in=stop_ids)
        .values("stop_id")
        .annotate(
            seats=Sum("capacity"),
            taken=Sum("seats_taken"),
        )
    )
    active = (
        Workshop.objects.filter(stop_id__in=stop_ids)
        .values("stop_id")
        .annotate(
            people=Count(
                "registrations",
                filter=Q(
                    registrations__status__in=[
                        RegistrationStatus.CONFIRMED,
                        RegistrationStatus.WAITING,
                    ]
                ),
            )
        )
    )
    people = {row["stop_id"]: row["people"] for row in active}
    return {
        row["stop_id"]: Occupancy(
            people.get(row["stop_id"], 0), row["taken"] or 0, row["seats"] or 0
        )
        for row in rows
    }


def furnish_workshops(stops: list, series) -> None:
    """Give each new stop of a series the series' workshops, in one insert."""
    slots = list(series.workshops.all())
    Workshop.objects.bulk_create(
        [
            Workshop(
                stop=stop,
                module_id=slot.module_id,
                start_time=slot.start_time,
                end_time=slot.end_time,
                capacity=slot.capacity,
            )
            for stop in stops
            for slot in slots
        ]
    )


def workshops_outside_hours(stop_id: int, start: dt.time, end: dt.time) -> str:
    """The stop's workshops that new hours would leave out, in words ("" if none): residents
    signed up for them, so the stop's form refuses those hours until they are moved."""
    outside = (
        Workshop.objects.filter(stop_id=stop_id)
        .filter(Q(start_time__lt=start) | Q(end_time__gt=end))
        .select_related("module")
        .order_by("start_time", "pk")
    )
    listed = [
        f"{workshop.module.title} ({hours(workshop.start_time, workshop.end_time)})"
        for workshop in outside
    ]
    if not listed:
        return ""
    return _(
        "These workshops would fall outside the stop's hours: %(workshops)s. Move them first."
    ) % {"workshops": ", ".join(listed)}


def workshop_hours_spans(stop_ids: list[int]) -> dict[int, tuple[dt.time, dt.time]]:
    """When each stop's first workshop starts and its last one ends; one query."""
    rows = (
        Workshop.objects.filter(stop_id__in=stop_ids)
        .values("stop_id")
        .annotate(first=Min("start_time"), last=Max("end_time"))
    )
    return {row["stop_id"]: (row["first"], row["last"]) for row in rows}


def shift_workshops(minutes_by_stop: dict[int, int]) -> None:
    """Move each stop's workshops by as many minutes as the stop moved (planning checked
    they still fit its new hours); one read, one write."""
    workshops = list(Workshop.objects.filter(stop_id__in=list(minutes_by_stop)))
    for workshop in workshops:
        workshop.start_time, workshop.end_time = shifted(
            (workshop.start_time, workshop.end_time), minutes_by_stop[workshop.stop_id]
        )
    Workshop.objects.bulk_update(workshops, ["start_time", "end_time"])
