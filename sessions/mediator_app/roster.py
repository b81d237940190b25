"""What the tablet app reads: the day's stops, workshops and rosters, as plain data.

The page renders from this JSON, and the service worker caches it, so that the roster
still opens when the van has no signal.
"""

import datetime as dt

from django.db.models import Prefetch, Q

from mediation.models import Commune, Stop, StopStatus
from sessions.contacts import phone_ending
from sessions.mediator_app.sync import attendance_as_history
from sessions.models import (
    Attendance,
    Registration,
    RegistrationStatus,
    Workshop,
)
from tablets.models import Tablet


def attendance_as_data(attendance: Attendance | None) -> dict | None:
    """The version in force, as the tablet app reads it (its form calls the tablet "tablet")."""
    if attendance is None:
        return None
    values = attendance_as_history(attendance)
    values["tablet"] = values.pop("lending_tablet")
    return {
        "uuid": str(attendance.uuid),
        "recorded_at": attendance.recorded_at.isoformat(),
    } | values


def _registration_as_data(registration: Registration) -> dict:
    # The roster is cached on a tablet that may be lost: names and needs, no contact details.
    try:
        attendance = registration.attendance
    except Attendance.DoesNotExist:
        attendance = None
    return {
        "uuid": str(registration.uuid),
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "status": registration.status,
        "channel": registration.channel,
        "needs": registration.needs,
        # Enough to tell two people of the same name apart, not enough to call them.
        "commune": registration.home_commune.name if registration.home_commune else "",
        "phone_end": phone_ending(registration.phone),
        "attendance": attendance_as_data(attendance),
    }


def tablets_as_data() -> list[dict]:
    """The lending tablets in service; only those wiped since their last use may be picked."""
    return [
        {
            "id": tablet.pk,
            "label": tablet.asset_tag,
            "ready": tablet.is_ready_for_resident,
            "needs_reset": tablet.needs_reset,
        }
        for tablet in Tablet.objects.in_service().order_by("asset_tag")
    ]


def day_payload(*, user, day: dt.date) -> dict:
    """Today's stops for this user, each with its workshops and their rosters."""
    registrations = (
        # A resident who cancelled and came all the same, marked present: her card stays,
        # badged "cancelled", or it would vanish from the roster once her presence is sent.
        Registration.objects.exclude(
            Q(status=RegistrationStatus.CANCELLED) & ~Q(attendance__present=True)
        )
        .select_related("attendance", "home_commune")
        .prefetch_related("attendance__outcomes")
        .order_by("last_name", "first_name", "created_at")
    )
    workshops = (
        Workshop.objects.select_related("module")
        .prefetch_related("module__outcomes", Prefetch("registrations", queryset=registrations))
        .order_by("start_time")
    )
    stops = (
        Stop.objects.whose_people_are_visible_to(user)
        .on_date(day)
        .exclude(status=StopStatus.CANCELLED)
        .select_related("commune")
        .prefetch_related(Prefetch("workshops", queryset=workshops))
        .order_by("start_time")
    )
    return {
        "date": day.isoformat(),
        "stops": [
            {
                "id": stop.pk,
                "commune": stop.commune.name,
                "commune_code": stop.commune.insee_code,
                "place": stop.place_name,
                "start_time": stop.start_time.strftime("%H:%M"),
                "end_time": stop.end_time.strftime("%H:%M"),
                "workshops": [
                    {
                        "id": workshop.pk,
                        "title": workshop.module.title,
                        "start_time": workshop.start_time.strftime("%H:%M"),
                        "end_time": workshop.end_time.strftime("%H:%M"),
                        "capacity": workshop.capacity,
                        "outcomes": [
                            {"id": outcome.pk, "label": outcome.label}
                            for outcome in workshop.module.outcomes.all()
                        ],
                        "registrations": [
                            _registration_as_data(r) for r in workshop.registrations.all()
                        ],
                    }
                    for workshop in stop.workshops.all()
                ],
            }
            for stop in stops
        ],
        "tablets": tablets_as_data(),
        # Walk-ins come from anywhere in the département; the list is small enough to carry.
        "communes": list(Commune.objects.order_by("name").values_list("insee_code", "name")),
    }
