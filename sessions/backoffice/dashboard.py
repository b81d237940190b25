"""The back office's home page answers "how is the tour going" and "what do I do today".

Coordinators see the next stops with their fill rates and waiting lists, and the stops no
mediator is assigned to, the messages that did not leave and the tablets' records the server
refused, each linking to the screen where it is fixed (the fleet's alerts come from the
tablets app's own panel). Mediators see their stops of the day and the way to the tablet
app. Both see, on top, the residents given a seat from the waiting list whom no SMS or e-mail
reaches: to phone, until the call is made.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone
from wagtail.admin.ui.components import Component

from mediation.models import Stop, StopStatus
from mediation.roles import is_coordinator, is_mediator
from sessions.backoffice.messages import UNDELIVERED
from sessions.backoffice.refusals import VIEW_PERMISSION as REFUSALS_VIEW_PERMISSION
from sessions.contacts import display_phone, still_to_call
from sessions.message_models import OutboundMessage
from sessions.models import Registration, RegistrationStatus, Workshop
from sessions.refusals import open_refusals_count

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


def calls_to_make(user, *, today: dt.date) -> list[Registration]:
    """Residents given a seat from the waiting list whom no SMS or e-mail told (a landline,
    no contact, a number that answered STOP, a message that failed for good), of the stops
    whose people `user` sees, soonest workshop first.

    Without e-mail or with a failed message in SQL; whether a phone takes SMS is the phone
    library's to say, on the few left (one stop's waiting list moves a seat or two at a time).
    """
    candidates = (
        Registration.objects.visible_to(user)
        .maybe_to_call(today)
        .select_related("workshop__module", "workshop__stop__commune")
        .order_by("workshop__stop__date", "workshop__start_time", "promoted_at", "pk")
    )
    return still_to_call(list(candidates))


class CallsPanel(Component):
    """Shown only when there is someone to call, above the rest: it is a task, not a figure."""

    name = "calls_to_make"
    order = 30
    template_name = "sessions/backoffice/dashboard_calls.html"

    class Media:
        css = {"all": ["sessions/calls.css"]}

    def __init__(self, calls: list[Registration]):
        self.calls = calls

    def get_context_data(self, parent_context):
        return {
            # The number as it is dialled and read: "03 22 71 80 00".
            "calls": [(call, display_phone(call.phone)) for call in self.calls],
            # Each call has its "Call made" form; a component renders without the request.
            "csrf_token": parent_context.get("csrf_token"),
        }


class RefusalsPanel(Component):
    """Records the server refused from the tablets, still to deal with: a task, shown only
    when there is one (residents who came are not counted until it is done)."""

    name = "refused_records"
    order = 35
    template_name = "sessions/backoffice/dashboard_refusals.html"

    def __init__(self, count: int):
        self.count = count

    def get_context_data(self, parent_context):
        return {"count": self.count}


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
    if is_mediator(request.user) or is_coordinator(request.user):
        calls = calls_to_make(request.user, today=timezone.localdate())
        if calls:
            panels.append(CallsPanel(calls))
    if is_mediator(request.user):
        panels.append(TodayPanel(request.user))
    if is_coordinator(request.user):
        if request.user.has_perm(REFUSALS_VIEW_PERMISSION) and (refused := open_refusals_count()):
            panels.append(RefusalsPanel(refused))
        panels.append(TourPanel())
