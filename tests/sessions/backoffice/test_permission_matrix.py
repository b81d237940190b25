"""docs/permissions.md, row by row: each persona is allowed exactly what the table says."""

import datetime as dt
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.log_actions import log

from mediation.models import PARIS
from sessions.models import Attendance, RefusedRecord, Registration
from tests.factories import (
    make_commune,
    make_coordinator,
    make_epci,
    make_mediator,
    make_registration,
    make_stop,
    make_workshop,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
PERSONAS = ["anonymous", "own-stop mediator", "other mediator", "coordinator"]
PHONE = "+33671429358"
LANDLINE = "+33322718000"


def matrix() -> list[tuple[str, dict[str, bool]]]:
    text = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    header = "| action | " + " | ".join(PERSONAS) + " |"
    assert header in text, "the table's columns changed"
    rows = []
    for line in text[text.index(header) :].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append((cells[0], {p: c == "✓" for p, c in zip(PERSONAS, cells[1:], strict=True)}))
    return rows


@pytest.fixture
def world(monkeypatch):
    from cms import flyer_views
    from reports import services

    monkeypatch.setattr(flyer_views, "render_flyers", lambda *a, **k: b"%PDF-stub")
    monkeypatch.setattr(services, "render_pdf", lambda *a, **k: b"%PDF-stub")
    with time_machine.travel(NOW, tick=False):
        epci = make_epci(slug="cc-essais")
        commune = make_commune(name="Woincourt", slug="woincourt", epci=epci)
        ines, olivier = make_mediator("ines"), make_mediator("olivier")
        stop = make_stop(commune=commune, date=NOW.date())
        stop.mediators.add(ines)
        make_stop(date=NOW.date()).mediators.add(olivier)
        workshop = make_workshop(stop=stop, start_time=dt.time(14), end_time=dt.time(16))
        odette = make_registration(workshop=workshop, last_name="Lemaire", phone=PHONE)
        Attendance.objects.create(
            uuid=uuid.uuid4(),
            registration=odette,
            present=True,
            note="aide APL",
            recorded_at=NOW,
        )
        users = {
            "own-stop mediator": ines,
            "other mediator": olivier,
            "coordinator": make_coordinator("claire"),
        }
        yield {
            "commune": commune,
            "epci": epci,
            "stop": stop,
            "workshop": workshop,
            "odette": odette,
            "users": users,
        }


def shows_odette(response) -> bool:
    return response.status_code == 200 and "Lemaire" in response.content.decode()


def landline_and_promoted(odette) -> None:
    """Odette gave her landline and just got a seat from the waiting list: not yet called."""
    Registration.objects.filter(pk=odette.pk).update(
        phone=LANDLINE, promoted_at=NOW, called_at=None
    )


def check(action: str, client: Client, w: dict) -> bool:
    odette, workshop = w["odette"], w["workshop"]
    if action == "read the public schedule of a commune":
        return client.get(reverse("cms:commune", args=[w["commune"].slug])).status_code == 200
    if action == "print a commune's flyer":
        return client.get(reverse("cms:commune_flyer", args=[w["commune"].slug])).status_code == 200
    if action == "print every flyer of an intercommunality":
        # Asked for on the flyers page, prepared by the worker (run once the POST commits).
        with TestCase.captureOnCommitCallbacks(execute=True):
            asked = client.post(
                reverse("reports_admin:flyers"), {"epci": w["epci"].slug, "months": "3"}
            )
        if asked.status_code != 302 or "/exports/" not in asked["Location"]:
            return False
        return client.get(f"{asked['Location']}fichier").content == b"%PDF-stub"
    if action == "list the registrations of a workshop, with phones and e-mails":
        response = client.get(reverse("registrations:index") + f"?workshop={workshop.pk}")
        return (
            shows_odette(response)
            and "06 71 42 93 58" in response.content.decode()
            or (shows_odette(response) and PHONE in response.content.decode())
        )
    if action == "find a resident by phone in the registrations' search":
        return shows_odette(client.get(reverse("registrations:index"), {"q": PHONE}))
    if action == "edit a resident's registration":
        return shows_odette(client.get(reverse("registrations:edit", args=[odette.pk])))
    if action == "read a registration's history":
        return client.get(reverse("registrations:history", args=[odette.pk])).status_code == 200
    if action == "cancel a resident's registration":
        url = reverse("workshops_registration_cancel", args=[odette.pk])
        return shows_odette(client.get(url))
    if action == "move a resident's registration to another workshop":
        url = reverse("workshops_registration_move", args=[odette.pk])
        return shows_odette(client.get(url))
    if action == "see a resident given a seat, whom no message reaches, among the calls to make":
        landline_and_promoted(odette)
        response = client.get(reverse("wagtailadmin_home"))
        return response.status_code == 200 and f'data-registration="{odette.pk}"' in (
            response.content.decode()
        )
    if action == "record that the call to that resident was made":
        landline_and_promoted(odette)
        response = client.post(reverse("workshops_registration_called", args=[odette.pk]))
        return (
            response.status_code == 302
            and Registration.objects.filter(pk=odette.pk, called_at__isnull=False).exists()
        )
    if action == "register a caller for a workshop":
        response = client.get(reverse("registrations:add"))
        return response.status_code == 200 and f'value="{workshop.pk}"' in response.content.decode()
    if action == "see the workshop in the attendance report":
        response = client.get(reverse("attendance_report"))
        return response.status_code == 200 and f'data-workshop="{workshop.pk}"' in (
            response.content.decode()
        )
    if action == "read the attendance and notes of a workshop":
        response = client.get(reverse("attendance_workshop", args=[workshop.pk]))
        return shows_odette(response) and "aide APL" in response.content.decode()
    if action == "see the resident on the tablet's roster of the day":
        response = client.get(reverse("mediator_app:day"))
        return response.status_code == 200 and str(odette.uuid) in response.content.decode()
    if action == "record the resident's attendance from a tablet":
        record = {
            "uuid": str(uuid.uuid4()),
            "recorded_at": NOW.isoformat(),
            "workshop": workshop.pk,
            "registration": str(odette.uuid),
            "present": False,
        }
        response = client.post(
            reverse("mediator_app:sync"), {"records": [record]}, content_type="application/json"
        )
        return response.status_code == 200 and response.json()["results"][0]["status"] == (
            "accepted"
        )
    if action == "cancel a stop and tell its registrants":
        return client.get(reverse("workshops_stop_cancel", args=[w["stop"].pk])).status_code == 200
    if action == "find, export or erase a resident's personal data":
        response = client.post(reverse("personal_data"), {"contact": PHONE, "action": "find"})
        return shows_odette(response)
    if action == "read the site history, whose entries name residents":
        # Claire edited Odette's registration: Wagtail's report names her in its list.
        log(instance=odette, action="wagtail.edit", user=w["users"]["coordinator"])
        for address in (
            reverse("wagtailadmin_reports:site_history"),
            reverse("wagtailadmin_reports:site_history_results"),
            reverse("wagtailadmin_reports:site_history") + "?export=csv",
        ):
            response = client.get(address)
            body = b"".join(response) if response.streaming else response.content
            if response.status_code != 200 or b"Lemaire" not in body:
                return False
        return True
    if action == "read the tablet records the server refused, with the residents' names":
        refused_for(odette)
        return shows_odette(client.get(reverse("workshops_refused_records")))
    if action == "mark a refused tablet record as dealt with":
        refused = refused_for(odette)
        client.post(reverse("workshops_refused_record_dismiss", args=[refused.pk]))
        return RefusedRecord.objects.filter(pk=refused.pk, resolved_at__isnull=False).exists()
    if action == "reopen a refused tablet record marked as dealt with too soon":
        refused = refused_for(odette)
        RefusedRecord.objects.filter(pk=refused.pk).update(
            resolved_at=NOW, resolution=RefusedRecord.Resolution.DISMISSED
        )
        client.post(reverse("workshops_refused_record_reopen", args=[refused.pk]))
        return RefusedRecord.objects.filter(pk=refused.pk, resolved_at__isnull=True).exists()
    raise AssertionError(f"No check for the row {action!r} of docs/permissions.md")


def refused_for(odette) -> RefusedRecord:
    """A record of Odette's that the server refused (the stop was given to someone else)."""
    refused, _ = RefusedRecord.objects.get_or_create(
        uuid=uuid.UUID(int=1),
        defaults={
            "registration": odette,
            "registration_uuid": odette.uuid,
            "workshop": odette.workshop,
            "reason": "forbidden",
            "present": True,
            "recorded_at": NOW,
            "first_refused_at": NOW,
            "last_refused_at": NOW,
        },
    )
    return refused


@pytest.mark.parametrize(("action", "expected"), matrix(), ids=[row[0] for row in matrix()])
def test_each_row_of_the_permission_matrix(world, action, expected):
    with time_machine.travel(NOW, tick=False):
        outcome = {}
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(world["users"][persona])
            outcome[persona] = check(action, client, world)
    assert outcome == expected
