"""What staff read in the back-office: attendance counted per workshop."""

import datetime as dt

from django.db.models import Count, Q

from sessions.models import Attendance, RegistrationChannel, RegistrationStatus, Workshop


def workshops_with_attendance(*, date_from: dt.date, date_to: dt.date, user):
    """The workshops between two dates that the user may see, attendance counted in one query."""
    active = ~Q(registrations__status=RegistrationStatus.CANCELLED)
    return (
        Workshop.objects.with_registrations_visible_to(user)
        .filter(stop__date__range=(date_from, date_to))
        .select_related("module", "stop__commune")
        .annotate(
            registered=Count("registrations", filter=active),
            present_count=Count("registrations", filter=Q(registrations__attendance__present=True)),
            absent_count=Count(
                "registrations", filter=active & Q(registrations__attendance__present=False)
            ),
            walk_in_count=Count(
                "registrations",
                filter=active & Q(registrations__channel=RegistrationChannel.WALK_IN),
            ),
        )
        .order_by("-stop__date", "start_time")
    )


def outcome_counts(workshops) -> dict[int, list[tuple[str, int]]]:
    """For each workshop's id, how many people present reached each of its module's outcomes."""
    through = Attendance.outcomes.through
    rows = (
        through.objects.filter(
            attendance__registration__workshop__in=[w.pk for w in workshops],
            attendance__present=True,
        )
        .values("attendance__registration__workshop", "moduleoutcome__label")
        .annotate(reached=Count("pk"))
        .order_by("attendance__registration__workshop", "moduleoutcome__sort_order")
    )
    counts: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        counts.setdefault(row["attendance__registration__workshop"], []).append(
            (row["moduleoutcome__label"], row["reached"])
        )
    return counts


def workshop_roster_with_attendance(workshop: Workshop):
    """Every registration of the workshop with the attendance in force and its history size."""
    return (
        workshop.registrations.select_related(
            "home_commune",
            "attendance__lending_tablet",
            "attendance__recorded_by",
        )
        .prefetch_related("attendance__outcomes")
        .annotate(versions=Count("attendance__history"))
        .order_by("status", "last_name", "first_name")
    )
