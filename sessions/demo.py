"""Demo workshops and sign-ups on the demo tour."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from mediation.models import Commune, Stop, StopStatus, TutorialModule
from sessions.models import Registration, RegistrationChannel, RegistrationStatus, Workshop
from sessions.services import stop_cancel

FIRST_NAMES = ["Jeanine", "Marcel", "Monique", "Gérard", "Josiane", "Bernard", "Odette", "Roger"]
APPOINTMENT_MINUTES = 30
LAST_NAMES = ["Dupont", "Lefèvre", "Caron", "Leroy", "Dumont", "Delattre", "Vasseur", "Bourgeois"]


@transaction.atomic
def seed_workshops() -> int:
    """Two workshops and one appointment per stop without workshops; some already signed up."""
    rng = random.Random(80)
    modules = list(TutorialModule.objects.active().order_by("slug"))
    if not modules:
        return 0
    created = 0
    stops = Stop.objects.filter(workshops__isnull=True).select_related("commune").order_by("date")
    for number, stop in enumerate(stops):
        # Group workshops last as long as their module says; a 30-minute one-to-one
        # appointment ends the half-day.
        stop_minutes = (
            dt.datetime.combine(stop.date, stop.end_time)
            - dt.datetime.combine(stop.date, stop.start_time)
        ).seconds // 60
        first = rng.choice(modules)
        room = stop_minutes - first.duration_minutes - APPOINTMENT_MINUTES
        fitting = [m for m in modules if m != first and m.duration_minutes <= room] or [
            m for m in modules if m != first
        ]
        second = rng.choice(fitting)
        start = dt.datetime.combine(stop.date, stop.start_time)
        middle = start + dt.timedelta(minutes=first.duration_minutes)
        last = middle + dt.timedelta(minutes=second.duration_minutes)
        plan = [
            (first, start, middle, 8),
            (second, middle, last, 6),
            (rng.choice(modules), last, last + dt.timedelta(minutes=APPOINTMENT_MINUTES), 1),
        ]
        for module, begins, ends, capacity in plan:
            workshop = Workshop.objects.create(
                stop=stop,
                module=module,
                start_time=begins.time(),
                end_time=min(ends.time(), stop.end_time),
                capacity=capacity,
            )
            created += 1
            # The first weeks already have sign-ups; later ones are still open.
            if number < 12:
                _register_demo_residents(workshop, rng.randint(0, capacity), rng, stop.commune)
    _cancel_one_stop()
    return created


def _cancel_one_stop() -> None:
    """One stop of the demo is cancelled, through the service staff use: its sign-ups too."""
    if Stop.objects.filter(status=StopStatus.CANCELLED).exists():
        return
    upcoming = Stop.objects.filter(date__gt=timezone.localdate()).order_by("date", "pk")
    stop = upcoming[4:5].first() or upcoming.last()
    if stop is not None:
        stop_cancel(stop=stop, reason="Véhicule en panne", notify=False)


def _register_demo_residents(
    workshop: Workshop, count: int, rng: random.Random, commune: Commune
) -> None:
    """`count` confirmed sign-ups; a full workshop also gets a short waiting list."""
    waiting = rng.randint(1, 2) if count == workshop.capacity else 0
    # Distinct numbers: one phone holds one active registration per workshop.
    numbers = rng.sample(range(10**7), count + waiting)
    registrations = [
        Registration(
            workshop=workshop,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            phone=f"+3363{number:07d}",
            home_commune=commune,
            status=RegistrationStatus.CONFIRMED if index < count else RegistrationStatus.WAITING,
            channel=rng.choice([RegistrationChannel.ONLINE, RegistrationChannel.PHONE]),
            consent_at=timezone.now(),
        )
        for index, number in enumerate(numbers)
    ]
    Registration.objects.bulk_create(registrations)
    # Demo data is written in one go, so the counter is set to match rather than
    # taken seat by seat as sessions.services does for real sign-ups.
    workshop.seats_taken = count
    workshop.save(update_fields=["seats_taken"])
