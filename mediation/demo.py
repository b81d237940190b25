"""Demo data for the core domain: modules and staff accounts (the tour: mediation/demo_tour.py).

Deterministic (a fixed random seed) and idempotent: run it again and nothing is duplicated.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from mediation.models import (
    Branding,
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
