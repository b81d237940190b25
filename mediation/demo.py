"""Demo data for the core domain: modules, staff accounts and a tour over the next 12 weeks.

Deterministic (a fixed random seed) and idempotent: run it again and nothing is duplicated.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from mediation.models import (
    Branding,
    Commune,
    Stop,
    StopStatus,
    TutorialModule,
)
from mediation.module_loader import DEMO_MODULES_FILE, modules_load, read_module_file
from mediation.roles import COORDINATORS, MEDIATORS, ensure_staff_groups

DEMO_PASSWORD = "demo-bus-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    group: str


DEMO_ACCOUNTS = [
    DemoAccount("coordination", "Claire", "Lefebvre", COORDINATORS),
    DemoAccount("mediatrice", "Inès", "Dubois", MEDIATORS),
    DemoAccount("mediateur", "Thomas", "Carpentier", MEDIATORS),
]

# The six demo modules' content is data, in mediation/module_data/demo_modules.json: plain
# French for beginners, checked against the official sites.
DEMO_MODULES = read_module_file(DEMO_MODULES_FILE)


PLACES = [
    ("Place de la mairie", "Devant la mairie"),
    ("Parking de la salle des fêtes", "À côté de la salle des fêtes"),
    ("Place de l'église", "Sur la place, face à l'église"),
]
# Two half-days a stop can take: morning or afternoon.
SLOTS = [(dt.time(9, 30), dt.time(12, 30)), (dt.time(14, 0), dt.time(17, 0))]
TOUR_WEEKS = 12
STOPS_PER_WEEK = 4


def seed_accounts() -> list[DemoAccount]:
    ensure_staff_groups()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.org",
            },
        )
        user.is_staff = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=account.group))
    return DEMO_ACCOUNTS


@transaction.atomic
def seed_modules() -> list[TutorialModule]:
    """Create the demo modules, or bring them back to the demo content if they exist."""
    return modules_load(specs=DEMO_MODULES)


@transaction.atomic
def seed_tour(*, today: dt.date | None = None) -> list[Stop]:
    """Plan about four stops a week for 12 weeks, starting today; skipped if a tour exists."""
    if Stop.objects.exists():
        return []
    today = today or timezone.localdate()
    rng = random.Random(80)
    # Villages rather than the big towns, which have their own France Services.
    communes = list(Commune.objects.filter(population__lt=3000).order_by("insee_code"))
    if not communes:
        return []
    mediators = list(get_user_model().objects.filter(groups__name=MEDIATORS).order_by("username"))
    monday = today - dt.timedelta(days=today.weekday())
    stops = []
    for week in range(TOUR_WEEKS):
        # Tuesday to Friday.
        for index, weekday in enumerate(range(1, 1 + STOPS_PER_WEEK)):
            day = monday + dt.timedelta(weeks=week, days=weekday)
            if day < today:
                continue
            start, end = SLOTS[(week + index) % len(SLOTS)]
            place, directions = PLACES[rng.randrange(len(PLACES))]
            stop = Stop.objects.create(
                commune=rng.choice(communes),
                date=day,
                start_time=start,
                end_time=end,
                place_name=place,
                directions=directions,
                status=StopStatus.CONFIRMED if week < 4 else StopStatus.PLANNED,
            )
            if mediators:
                stop.mediators.add(mediators[(week + index) % len(mediators)])
            stops.append(stop)
    # The mediators' tablet shows today's stop: make sure there is one to try it on.
    if not any(stop.date == today for stop in stops):
        stop = Stop.objects.create(
            commune=communes[0],
            date=today,
            start_time=dt.time(9, 30),
            end_time=dt.time(17, 0),
            place_name=PLACES[0][0],
            directions=PLACES[0][1],
            status=StopStatus.CONFIRMED,
        )
        stop.mediators.add(*mediators)
        stops.insert(0, stop)
    return stops


def seed_branding(*, site_name: str) -> Branding:
    """Demo operator details; the phone number is in a range reserved for fiction."""
    branding = Branding.load()
    if not branding.contact_phone:
        branding.site_name = site_name
        branding.contact_phone = "03 53 01 00 80"
        branding.contact_email = "bus-numerique@example.org"
        branding.operator_name = "Somme Numérique (démonstration)"
        branding.operator_address = "1 rue de la Fibre\n80000 Amiens"
        branding.save()
    return branding
