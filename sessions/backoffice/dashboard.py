"""The back office's home page answers "how is the tour going" and "what do I do today".

Coordinators see the next stops with their fill rates and waiting lists, and the stops no
mediator is assigned to, and the messages that did not leave, each linking to the screen
where it is fixed (the fleet's alerts come from the tablets app's own panel). Mediators see
their stops of the day and the way to the tablet app.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone
from wagtail.admin.ui.components import Component

from mediation.models import Stop, StopStatus
from mediation.roles import is_coordinator, is_mediator
from sessions.backoffice.messages import UNDELIVERED
from sessions.message_models import OutboundMessage
from sessions.models import RegistrationStatus, Workshop

NEXT_DAYS = 14
UNASSIGNED_DAYS = 42
MAX_ROWS = 12


@dataclass(frozen=True)
class StopFill:
    stop: Stop
    capacity: int
    taken: int
    waiting: int

    @property
    def percent(self) -> int:
        return round(100 * self.taken / self.capacity) if self.capacity else 0


def next_stops_fill(*, today: dt.date, days: int = NEXT_DAYS) -> list[StopFill]:
    """The coming stops with their seats and waiting lists: three queries however many."""
    workshops = Workshop.objects.annotate(
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING))
    )
    stops = (
        Stop.objects.upcoming(today)
        .not_cancelled()
        .filter(date__lte=today + dt.timedelta(days=days))
        .select_related("commune")
        .prefetch_related(Prefetch("workshops", queryset=workshops))
        .order_by("date", "start_time")[:MAX_ROWS]
    )
    return [
        StopFill(
            stop=stop,
            capacity=sum(w.capacity for w in stop.workshops.all()),
            taken=sum(w.seats_taken for w in stop.workshops.all()),
            waiting=sum(w.waiting for w in stop.workshops.all()),
        )
        for stop in stops
    ]


def stops_without_mediator(*, today: dt.date, days: int = UNASSIGNED_DAYS) -> list[Stop]:
    return list(
        Stop.objects.upcoming(today)
        .not_cancelled()
        .filter(date__lte=today + dt.timedelta(days=days), mediators__isnull=True)
        .select_related("commune")
        .order_by("date", "start_time")[:MAX_ROWS]
    )


def todays_stops(user, *, today: dt.date) -> list[Stop]:
    workshops = Workshop.objects.select_related("module").order_by("start_time")
    return list(
        Stop.objects.on_date(today)
        .assigned_to(user)
        .exclude(status=StopStatus.CANCELLED)
        .select_related("commune")
        .prefetch_related(Prefetch("workshops", queryset=workshops))
        .annotate(signed_up=Sum("workshops__seats_taken"))
        .order_by("start_time")
    )


class TourPanel(Component):
    name = "tour_health"
    order = 50
    template_name = "sessions/backoffice/dashboard_tour.html"

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {
            "next_stops": next_stops_fill(today=today),
            "unassigned": stops_without_mediator(today=today),
            "undelivered": OutboundMessage.objects.filter(state__in=UNDELIVERED).count(),
            "next_days": NEXT_DAYS,
            "unassigned_days": UNASSIGNED_DAYS,
        }


class TodayPanel(Component):
    name = "mediator_today"
    order = 40
    template_name = "sessions/backoffice/dashboard_today.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"stops": todays_stops(self.user, today=timezone.localdate())}


def add_dashboard_panels(request, panels) -> None:
    if is_mediator(request.user):
        panels.append(TodayPanel(request.user))
    if is_coordinator(request.user):
        panels.append(TourPanel())
