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
    ModuleOutcome,
    ModuleTheme,
    Stop,
    StopStatus,
    TutorialModule,
)
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

# Titles, goals, documents and outcomes; the steps are written in the module pages.
DEMO_MODULES = [
    {
        "slug": "compte-caf",
        "title": "Créer son compte CAF en ligne",
        "goal": "Créer son espace Mon Compte sur caf.fr pour suivre ses aides et faire ses "
        "démarches sans se déplacer.",
        "audience": "Allocataires ou futurs allocataires de la CAF.",
        "theme": ModuleTheme.HEALTH_SOCIAL,
        "duration_minutes": 90,
        "documents": [
            "Votre numéro allocataire (sur un courrier de la CAF)",
            "Votre code postal",
            "Une pièce d'identité",
            "Votre téléphone portable, si vous en avez un",
        ],
        "outcomes": [
            "Compte CAF créé",
            "Mot de passe noté dans un lieu sûr",
            "Attestation téléchargée",
        ],
    },
    {
        "slug": "declarer-ses-revenus",
        "title": "Déclarer ses revenus en ligne sur impots.gouv.fr",
        "goal": "Se connecter à son espace particulier et envoyer sa déclaration de revenus.",
        "audience": "Toute personne qui déclare ses revenus.",
        "theme": ModuleTheme.MONEY_TAXES,
        "duration_minutes": 90,
        "documents": [
            "Votre numéro fiscal (sur votre dernier avis d'impôt)",
            "Votre dernier avis d'impôt",
            "Vos justificatifs de revenus (salaires, retraites)",
        ],
        "outcomes": [
            "Espace particulier créé",
            "Déclaration envoyée",
            "Accusé de réception enregistré",
        ],
    },
    {
        "slug": "facebook-reseaux-sociaux",
        "title": "Facebook et les réseaux sociaux en sécurité",
        "goal": "Garder le contact avec ses proches sur Facebook en protégeant sa vie privée.",
        "audience": "Débutants qui veulent rester en contact avec leur famille.",
        "theme": ModuleTheme.SOCIAL_NETWORKS,
        "duration_minutes": 60,
        "documents": ["Votre adresse e-mail ou votre numéro de portable"],
        "outcomes": ["Compte Facebook créé", "Paramètres de confidentialité réglés"],
    },
    {
        "slug": "adresse-email",
        "title": "Créer et utiliser une adresse e-mail",
        "goal": "Avoir sa propre adresse e-mail, lire ses messages et en envoyer.",
        "audience": "Personnes qui n'ont pas encore d'adresse e-mail.",
        "theme": ModuleTheme.EMAIL,
        "duration_minutes": 60,
        "documents": ["Votre téléphone portable, si vous en avez un"],
        "outcomes": [
            "Adresse e-mail créée",
            "Premier message envoyé",
            "Mot de passe noté dans un lieu sûr",
        ],
    },
    {
        "slug": "compte-ameli",
        "title": "Créer son compte Ameli",
        "goal": "Ouvrir son compte sur ameli.fr pour suivre ses remboursements de santé.",
        "audience": "Assurés de l'Assurance Maladie.",
        "theme": ModuleTheme.HEALTH_SOCIAL,
        "duration_minutes": 60,
        "documents": [
            "Votre carte Vitale",
            "Un relevé d'identité bancaire (RIB) à votre nom",
        ],
        "outcomes": ["Compte Ameli créé", "Attestation de droits téléchargée"],
    },
    {
        "slug": "arnaques-en-ligne",
        "title": "Reconnaître une arnaque en ligne",
        "goal": "Repérer un faux message (hameçonnage) et savoir quoi faire.",
        "audience": "Tout le monde.",
        "theme": ModuleTheme.SECURITY,
        "duration_minutes": 60,
        "documents": ["Votre téléphone portable, si vous en avez un"],
        "outcomes": ["Sait repérer un message frauduleux", "Sait signaler une arnaque"],
    },
]

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


def seed_modules() -> list[TutorialModule]:
    modules = []
    for spec in DEMO_MODULES:
        module, created = TutorialModule.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "goal": spec["goal"],
                "audience": spec["audience"],
                "theme": spec["theme"],
                "duration_minutes": spec["duration_minutes"],
                "documents_to_bring": "\n".join(spec["documents"]),
            },
        )
        if created:
            for order, label in enumerate(spec["outcomes"]):
                ModuleOutcome.objects.create(module=module, label=label, sort_order=order)
        modules.append(module)
    return modules


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
    cancelled = stops[min(5, len(stops) - 1)]
    cancelled.status = StopStatus.CANCELLED
    cancelled.cancellation_reason = "Véhicule en panne"
    cancelled.sequence += 1
    cancelled.save()
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
