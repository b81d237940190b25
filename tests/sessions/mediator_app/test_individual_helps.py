"""Individual helps recorded on a tablet reach the server once, and the funders' export."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from mediation.models import StopStatus
from reports.activity import Period, activity_rows
from reports.coop import EXPORT_COLUMNS
from sessions.models import Attendance, IndividualHelp
from tests.factories import make_commune, make_stop

pytestmark = pytest.mark.django_db


def post(client, records):
    return client.post(
        reverse("mediator_app:sync"),
        data=json.dumps({"records": records}),
        content_type="application/json",
    )


def a_help(stop, **fields) -> dict:
    return {
        "kind": "individual_help",
        "uuid": str(uuid.uuid4()),
        "recorded_at": (timezone.now() - dt.timedelta(minutes=3)).isoformat(),
        "stop": stop.pk,
        "minutes_spent": 25,
        "themes": ["demarches", "argent_impots"],
        "procedure_name": "Déclaration de revenus",
        "operator": "dgfip",
        "first_visit": True,
        "age_bracket": "70_plus",
        "gender": "feminin",
    } | fields


def test_an_individual_help_is_written_once_and_reaches_the_export(ines, mediator, workshop):
    stop = workshop.stop
    home = make_commune(name="Quend", insee_code="80649")
    record = a_help(stop, commune="80649")

    first = post(ines, [record])
    replay = post(ines, [record])

    assert first.json()["results"] == [{"uuid": record["uuid"], "status": "accepted"}]
    assert replay.json()["results"] == [{"uuid": record["uuid"], "status": "duplicate"}]
    help_ = IndividualHelp.objects.get()
    assert (help_.stop, help_.home_commune, help_.recorded_by) == (stop, home, mediator)
    rows = [
        dict(zip(EXPORT_COLUMNS, row, strict=True))
        for row in activity_rows(Period(stop.date, stop.date))
    ]
    assert len(rows) == 1
    row = rows[0]
    assert row["Type"] == "Accompagnement individuel"
    assert row["ID CRA"] == record["uuid"]
    assert row["Durée (min)"] == 25
    assert (
        row["Thématique(s) d’accompagnement"]
        == "Aide aux démarches administratives\nArgent - Impôts"
    )
    assert row["Genre du bénéficiaire"] == "Féminin"
    assert row["Code Insee du bénéficiaire"] == "80649"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"themes": []}, "invalid_themes"),
        ({"themes": ["astrologie"]}, "invalid_themes"),
        ({"minutes_spent": 0}, "invalid_minutes_spent"),
        ({"operator": "nasa"}, "invalid_operator"),
        ({"commune": "99999"}, "unknown_commune"),
        ({"recorded_at": "hier"}, "invalid_recorded_at"),
    ],
)
def test_a_malformed_help_is_refused_with_its_reason(ines, workshop, fields, reason):
    record = a_help(workshop.stop, **fields)

    answer = post(ines, [record]).json()["results"][0]

    assert (answer["status"], answer["reason"]) == ("refused", reason)
    assert not IndividualHelp.objects.exists()


def test_a_mediator_records_helps_only_at_their_own_open_stops(ines, workshop):
    elsewhere = make_stop()
    cancelled = make_stop(status=StopStatus.CANCELLED)
    cancelled.mediators.add(workshop.stop.mediators.get())

    answers = post(ines, [a_help(elsewhere), a_help(cancelled)]).json()["results"]

    assert [answer["reason"] for answer in answers] == ["forbidden", "stop_cancelled"]


def test_gender_recorded_on_attendance_defaults_to_not_said(ines, registrations, record_for):
    said, unsaid = registrations[:2]

    post(ines, [record_for(said, gender="masculin"), record_for(unsaid)])

    genders = dict(Attendance.objects.values_list("registration__first_name", "gender"))
    assert genders == {"Jeanine": "masculin", "Marcel": "non_communique"}
