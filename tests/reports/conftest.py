"""Fixtures of the reports' tests.

`grid`: five communes checked by hand around a stop (see test_coverage.py for the distances).

`tour` and its friends: a small tour whose figures are counted by hand in the tests.

Two EPCI. Stop 1 (Ailly, 10 March 2026) has a 90-minute workshop on taxes: Jeanine
(present, first visit), Marcel (present, nothing else recorded), Lucie (absent) and a
walk-in, Paul (present). Stop 2 (Bray, 17 March 2026) has a 2-hour e-mail workshop with
Odette (present) and a 20-minute individual help (first visit, redirected to the CAF).
Stop 3 (Corbie, 2 April 2026) was cancelled.

By hand: 5 accompaniments (4 collective, 1 individual), 2 first visits, 2 stops held and 1
cancelled, 2 workshops, 2 communes reached, 90 + 120 + 20 = 230 minutes (3.8 hours), fill
rate 4 seats taken of 16 (25 %), no-show rate 1 absent of 4 recorded sign-ups (25 %).
"""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from mediation.models import StopStatus
from sessions.models import Attendance, IndividualHelp, RegistrationChannel
from tests.factories import (
    make_commune,
    make_epci,
    make_mediator,
    make_module,
    make_registration,
    make_stop,
    make_user,
    make_workshop,
)


@pytest.fixture
def grid():
    """Centreville (a stop in June) and four communes around it, in two EPCI."""
    north_epci, south_epci = make_epci(name="CC du Nord"), make_epci(name="CC du Sud")
    centre = make_commune(
        name="Centreville",
        insee_code="80001",
        population=1000,
        epci=north_epci,
        latitude=Decimal("49.90000"),
        longitude=Decimal("2.30000"),
    )
    near = make_commune(
        name="Prèsville",
        insee_code="80021",
        population=2000,
        epci=north_epci,
        latitude=Decimal("50.00000"),
        longitude=Decimal("2.30000"),
    )
    far = make_commune(
        name="Loinville",
        insee_code="80688",
        population=300,
        epci=south_epci,
        latitude=Decimal("50.20000"),
        longitude=Decimal("2.30000"),
    )
    east = make_commune(
        name="Estville",
        insee_code="80016",
        population=500,
        epci=south_epci,
        latitude=Decimal("49.90000"),
        longitude=Decimal("2.40000"),
    )
    stop = make_stop(commune=centre, date=dt.date(2026, 6, 2))
    # Neither counts: a cancelled stop in Prèsville, a stop in Loinville the year before.
    make_stop(commune=near, date=dt.date(2026, 6, 9), status=StopStatus.CANCELLED)
    make_stop(commune=far, date=dt.date(2025, 6, 9))
    return {"centre": centre, "near": near, "far": far, "east": east, "stop": stop}


PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


def attend(registration, *, present=True, by=None, **fields) -> Attendance:
    return Attendance.objects.create(
        uuid=uuid.uuid4(),
        registration=registration,
        present=present,
        recorded_at=timezone.make_aware(
            dt.datetime.combine(registration.workshop.stop.date, dt.time(11, 5))
        ),
        recorded_by=by,
        **fields,
    )


def make_help(stop, **fields) -> IndividualHelp:
    values = {
        "uuid": uuid.uuid4(),
        "stop": stop,
        "minutes_spent": 20,
        "themes": ["demarches"],
        "recorded_at": timezone.make_aware(dt.datetime.combine(stop.date, dt.time(15, 30))),
    }
    return IndividualHelp.objects.create(**(values | fields))


@pytest.fixture
def tour(db):
    somme_est, somme_ouest = make_epci(name="CC Est", slug="cc-est"), make_epci(name="CC Ouest")
    ailly = make_commune(name="Ailly", insee_code="80001", epci=somme_est)
    bray = make_commune(name="Bray", insee_code="80002", epci=somme_ouest)
    corbie = make_commune(name="Corbie", insee_code="80003", epci=somme_est)
    ines = make_user("ines.mediatrice", first_name="Inès", last_name="Martin")
    taxes = make_module(title="Déclarer ses revenus en ligne", theme="argent_impots")
    email = make_module(title="Bien utiliser sa messagerie", theme="email", level="intermediate")

    stop1 = make_stop(commune=ailly, date=dt.date(2026, 3, 10), place_name="Place de la mairie")
    w1 = make_workshop(
        stop=stop1,
        module=taxes,
        start_time=dt.time(9, 30),
        end_time=dt.time(11, 0),
        capacity=8,
        seats_taken=3,
        procedure_name="Déclaration de revenus",
        operator="dgfip",
    )
    jeanine = make_registration(workshop=w1, first_name="Jeanine", home_commune=ailly)
    marcel = make_registration(workshop=w1, first_name="Marcel", last_name="Leroy")
    lucie = make_registration(workshop=w1, first_name="Lucie", home_commune=bray)
    paul = make_registration(
        workshop=w1, first_name="Paul", channel=RegistrationChannel.WALK_IN, home_commune=ailly
    )
    attend(
        jeanine,
        by=ines,
        first_visit=True,
        autonomy="autonome",
        equipment="tablette",
        age_bracket="60_69",
        situation="retraite",
        gender="feminin",
    )
    attend(marcel, by=ines)
    attend(lucie, present=False, by=ines)
    attend(paul, by=ines, equipment="telephone", gender="masculin")

    stop2 = make_stop(commune=bray, date=dt.date(2026, 3, 17), place_name="Salle des fêtes")
    w2 = make_workshop(
        stop=stop2,
        module=email,
        start_time=dt.time(14, 0),
        end_time=dt.time(16, 0),
        capacity=8,
        seats_taken=1,
    )
    attend(make_registration(workshop=w2, first_name="Odette", home_commune=bray), by=ines)
    help_ = make_help(
        stop2,
        themes=["demarches", "social_sante"],
        procedure_name="Demande de prime d'activité",
        operator="caf",
        redirection="caf",
        first_visit=True,
        age_bracket="70_plus",
        gender="masculin",
        home_commune=bray,
        recorded_by=ines,
    )
    make_stop(commune=corbie, date=dt.date(2026, 4, 2), status=StopStatus.CANCELLED)
    return {"w1": w1, "w2": w2, "help": help_, "est": somme_est, "ines": ines}


@pytest.fixture
def claire(client):
    from tests.factories import make_coordinator

    client.force_login(make_coordinator())
    return client


@pytest.fixture
def ines_client(client):
    client.force_login(make_mediator())
    return client


EXPORTS = "/admin/rapports/exports/"


def ask_for_export(client, fmt="xlsx", period=PERIOD, *, kind="activities", worker_runs=False):
    """A click on one of the statistics page's file buttons (POST); the worker runs only if
    asked (the immediate task backend runs it once the request commits)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=worker_runs) as callbacks:
        response = client.post(EXPORTS, period | {"file": f"{kind}.{fmt}"})
    return response, callbacks


def download_file(client, fmt: str, period: dict, *, kind: str = "activities"):
    """Ask for a file as the statistics page does, let the worker build it, then download
    it: the download's response."""
    asked, _callbacks = ask_for_export(client, fmt, period, kind=kind, worker_runs=True)
    assert asked.status_code == 302, asked.content[:500]
    page = client.get(asked["Location"])
    assert page.status_code == 200
    download = client.get(f"{asked['Location']}fichier")
    assert download.status_code == 200
    # The report opens in the browser's reader; the others are saved.
    disposition = "inline" if fmt == "pdf" else "attachment"
    assert download["Content-Disposition"].startswith(disposition)
    return download


def download_export(client, fmt: str, period: dict) -> bytes:
    """The activity export of `period`, built by the worker and downloaded."""
    return download_file(client, fmt, period).content
