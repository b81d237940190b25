"""The tablet app's page, its day data and its service worker."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediation.models import StopStatus
from sessions.mediator_app import installable
from sessions.mediator_app.sync import attendance_sync_batch
from tests.factories import make_module, make_registration, make_stop, make_user, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_stop(mediator):
    stop = make_stop(date=timezone.localdate())
    stop.mediators.add(mediator)
    return stop


def _workshop_with_people(stop, people=2):
    workshop = make_workshop(stop=stop, module=make_module(outcomes=["Compte créé", "Mail lu"]))
    for number in range(people):
        make_registration(workshop=workshop, first_name=f"Personne {number}")
    return workshop


def test_the_app_asks_to_sign_in_first(client):
    response = client.get("/tablette/")

    assert response.status_code == 302
    assert response.url.startswith("/tablette/connexion/?next=/tablette/")


def test_a_mediator_signs_in_and_lands_on_the_app(client, mediator):
    login = client.get("/tablette/connexion/")
    response = client.post("/tablette/connexion/", {"username": "ines", "password": "pass"})

    assert login.status_code == 200
    assert response.status_code == 302
    assert response.url == "/tablette/"
    page = client.get("/tablette/")
    assert page.status_code == 200
    assert b'lang="fr"' in page.content
    assert b'id="tablet-config"' in page.content


def test_an_account_without_a_role_is_refused(client):
    client.force_login(make_user("resident"))

    assert client.get("/tablette/").status_code == 403
    assert client.get("/tablette/api/jour/").status_code == 403


def test_a_mediator_sees_only_todays_stops_assigned_to_them(
    client, mediator, today_stop, outsider_mediator
):
    mine = _workshop_with_people(today_stop)
    someone_elses = make_stop(date=timezone.localdate())
    someone_elses.mediators.add(outsider_mediator)
    _workshop_with_people(someone_elses)
    tomorrow = make_stop(date=timezone.localdate() + dt.timedelta(days=1))
    tomorrow.mediators.add(mediator)
    cancelled = make_stop(date=timezone.localdate(), status=StopStatus.CANCELLED)
    cancelled.mediators.add(mediator)
    client.force_login(mediator)

    data = client.get("/tablette/api/jour/").json()

    assert data["date"] == timezone.localdate().isoformat()
    assert [stop["id"] for stop in data["stops"]] == [today_stop.pk]
    [workshop] = data["stops"][0]["workshops"]
    assert workshop["id"] == mine.pk
    assert [o["label"] for o in workshop["outcomes"]] == ["Compte créé", "Mail lu"]
    assert sorted(r["first_name"] for r in workshop["registrations"]) == [
        "Personne 0",
        "Personne 1",
    ]
    assert all(r["attendance"] is None for r in workshop["registrations"])


def test_a_coordinator_sees_every_stop_of_the_day(client, coordinator, today_stop):
    other = make_stop(date=timezone.localdate())
    client.force_login(coordinator)

    data = client.get("/tablette/api/jour/").json()

    assert {stop["id"] for stop in data["stops"]} == {today_stop.pk, other.pk}


def test_cancelled_registrations_are_not_on_the_roster(client, mediator, today_stop):
    workshop = _workshop_with_people(today_stop, people=1)
    make_registration(workshop=workshop, first_name="Parti", status="cancelled")
    client.force_login(mediator)

    data = client.get("/tablette/api/jour/").json()

    names = [r["first_name"] for r in data["stops"][0]["workshops"][0]["registrations"]]
    assert names == ["Personne 0"]


def test_a_resident_who_cancelled_and_came_all_the_same_keeps_her_card(
    client, mediator, today_stop
):
    # Odile cancelled last night, then came to the van anyway; Inès marks her present. Once
    # sent, her card must not vanish from the roster: it stays, with her status to badge it.
    # Marcel, who cancelled and stayed home, is still not listed.
    import uuid

    workshop = _workshop_with_people(today_stop, people=0)
    odile = make_registration(workshop=workshop, first_name="Odile", status="cancelled")
    make_registration(workshop=workshop, first_name="Marcel", status="cancelled")
    record = {
        "uuid": str(uuid.uuid4()),
        "recorded_at": timezone.now().isoformat(),
        "workshop": workshop.pk,
        "registration": str(odile.uuid),
        "present": True,
    }
    [answer] = attendance_sync_batch(user=mediator, records=[record])
    assert answer["status"] == "accepted"
    client.force_login(mediator)

    data = client.get("/tablette/api/jour/").json()

    roster = data["stops"][0]["workshops"][0]["registrations"]
    assert [(r["first_name"], r["status"]) for r in roster] == [("Odile", "cancelled")]
    assert roster[0]["attendance"]["present"] is True


def test_the_day_data_costs_the_same_queries_however_full_the_day(client, mediator, today_stop):
    _workshop_with_people(today_stop, people=1)
    client.force_login(mediator)
    with CaptureQueriesContext(connection) as small:
        client.get("/tablette/api/jour/")
    for _ in range(3):
        _workshop_with_people(today_stop, people=4)

    with CaptureQueriesContext(connection) as big:
        client.get("/tablette/api/jour/")

    assert len(big) == len(small)


def test_the_day_data_is_not_cached_by_the_browser(client, mediator):
    client.force_login(mediator)

    response = client.get("/tablette/api/jour/")

    assert "no-cache" in response["Cache-Control"]


def test_the_service_worker_is_served_under_the_app_with_its_scope(client):
    response = client.get("/tablette/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/tablette/"
    body = response.content.decode()
    assert '"/tablette/api/jour/"' in body
    assert "/static/sessions/mediator_app/app.js" in body


def test_the_day_data_carries_the_attendance_in_force(client, mediator, today_stop):
    workshop = _workshop_with_people(today_stop, people=1)
    registration = workshop.registrations.get()
    outcome = workshop.module.outcomes.first()
    made_at = timezone.now() - dt.timedelta(minutes=2)
    attendance_sync_batch(
        user=mediator,
        records=[
            {
                "uuid": "5a0f1f7e-3b6c-4d1e-9a57-2f7f6f0e9b11",
                "recorded_at": made_at.isoformat(),
                "workshop": workshop.pk,
                "registration": str(registration.uuid),
                "present": True,
                "outcomes": [outcome.pk],
                "minutes_spent": 40,
            }
        ],
    )
    client.force_login(mediator)

    data = client.get("/tablette/api/jour/").json()

    attendance = data["stops"][0]["workshops"][0]["registrations"][0]["attendance"]
    assert attendance["uuid"] == "5a0f1f7e-3b6c-4d1e-9a57-2f7f6f0e9b11"
    assert attendance["present"] is True
    assert attendance["outcomes"] == [outcome.pk]
    assert attendance["minutes_spent"] == 40
    assert dt.datetime.fromisoformat(attendance["recorded_at"]) == made_at


def test_the_roster_cached_on_the_tablet_carries_no_contact_details(client, mediator, today_stop):
    workshop = _workshop_with_people(today_stop, people=0)
    make_registration(workshop=workshop, phone="+33612345678", email="j@example.org")
    client.force_login(mediator)

    response = client.get("/tablette/api/jour/")

    [person] = response.json()["stops"][0]["workshops"][0]["registrations"]
    assert "phone" not in person
    assert "email" not in person
    assert b"612345678" not in response.content
    assert b"j@example.org" not in response.content


def test_the_app_can_be_installed_on_the_home_screen(client, settings):
    response = client.get(reverse("mediator_app:manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == reverse("mediator_app:home")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path and Path(path).read_bytes().startswith(b"\x89PNG")


def test_the_service_workers_cache_follows_the_code(client, tmp_path, monkeypatch):
    worker = client.get(reverse("mediator_app:service_worker")).content.decode()
    assert f'const CACHE = "tablette-v{installable.app_version()}";' in worker

    copy = tmp_path / "app"
    shutil.copytree(installable.SHELL_FILES[0], copy)
    monkeypatch.setattr(installable, "SHELL_FILES", (copy,))
    installable.app_version.cache_clear()
    before = installable.app_version()
    (copy / "app.js").write_text((copy / "app.js").read_text() + "\n// changed\n")
    installable.app_version.cache_clear()
    try:
        assert installable.app_version() != before
    finally:
        installable.app_version.cache_clear()


def test_the_tablet_s_day_turns_at_midnight_in_paris_not_in_utc(client, mediator):
    # Inès prepares the Tuesday stop at 00:30 on Tuesday, Paris time: it is still Monday
    # 23:30 in UTC, the server's clock. The day her tablet loads is Paris's Tuesday; a minute
    # before midnight it was Monday's.
    import time_machine

    from mediation.models import PARIS

    monday = make_stop(date=dt.date(2026, 12, 7), place_name="Salle de Rue")
    tuesday = make_stop(date=dt.date(2026, 12, 8), place_name="Mairie de Crécy")
    for stop in (monday, tuesday):
        stop.mediators.add(mediator)
    client.force_login(mediator)

    days = {}
    for moment in (dt.datetime(2026, 12, 7, 23, 59), dt.datetime(2026, 12, 8, 0, 30)):
        with time_machine.travel(moment.replace(tzinfo=PARIS), tick=False):
            payload = client.get(reverse("mediator_app:day")).json()
        days[moment.strftime("%H:%M")] = (payload["date"], [s["id"] for s in payload["stops"]])

    assert days["23:59"] == ("2026-12-07", [monday.pk])
    assert days["00:30"] == ("2026-12-08", [tuesday.pk])
