"""POST /tablette/sync/: batches of attendance records made offline on the tablets."""

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from sessions.models import (
    Attendance,
    AttendanceVersion,
    Registration,
    RegistrationChannel,
)
from tests.factories import make_commune, make_module, make_registration, make_user, make_workshop

pytestmark = pytest.mark.django_db
SYNC_URL = "/tablette/sync/"


def post(client, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(SYNC_URL, data=data, content_type="application/json")


def test_it_records_attendance_with_outcomes_and_report_fields(
    ines, mediator, workshop, registrations, record_for
):
    outcome = workshop.module.outcomes.get(label="Compte CAF créé")
    record = record_for(
        registrations[0],
        outcomes=[outcome.pk],
        minutes_spent=45,
        note="Revient la semaine prochaine",
        autonomy="partiellement_autonome",
        equipment="tablette",
        redirection="caf",
        first_visit=True,
        age_bracket="70_plus",
    )

    response = post(ines, {"records": [record]})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "uuid": record["uuid"],
            "status": "accepted",
            "result": "in_force",
            "registration": str(registrations[0].uuid),
        }
    ]
    attendance = Attendance.objects.get(registration=registrations[0])
    assert str(attendance.uuid) == record["uuid"]
    assert attendance.present is True
    assert list(attendance.outcomes.all()) == [outcome]
    assert attendance.minutes_spent == 45
    assert attendance.autonomy == "partiellement_autonome"
    assert attendance.equipment == "tablette"
    assert attendance.redirection == "caf"
    assert attendance.first_visit is True
    assert attendance.age_bracket == "70_plus"
    assert attendance.situation == ""
    assert attendance.recorded_by == mediator
    assert attendance.recorded_at.isoformat() == record["recorded_at"]


def test_a_replayed_batch_changes_nothing(ines, workshop, registrations, record_for):
    outcome = workshop.module.outcomes.first()
    batch = {
        "records": [
            record_for(registrations[0], outcomes=[outcome.pk]),
            record_for(registrations[1], present=False),
        ]
    }
    first = post(ines, batch).json()["results"]
    snapshot = list(Attendance.objects.order_by("pk").values())

    replay = post(ines, batch)

    assert [answer["status"] for answer in first] == ["accepted", "accepted"]
    assert replay.status_code == 200
    assert [answer["status"] for answer in replay.json()["results"]] == ["duplicate", "duplicate"]
    assert list(Attendance.objects.order_by("pk").values()) == snapshot
    assert not AttendanceVersion.objects.exists()


def test_one_bad_record_does_not_spoil_the_batch(ines, workshop, registrations, record_for):
    outcome_of_another_module = make_module(outcomes=["Déclaration envoyée"]).outcomes.get()
    good_before = record_for(registrations[0])
    bad = record_for(registrations[1], outcomes=[outcome_of_another_module.pk])
    good_after = record_for(registrations[2], present=False)

    response = post(ines, {"records": [good_before, bad, good_after]})

    results = response.json()["results"]
    assert [(r["uuid"], r["status"]) for r in results] == [
        (good_before["uuid"], "accepted"),
        (bad["uuid"], "refused"),
        (good_after["uuid"], "accepted"),
    ]
    assert results[1]["reason"] == "unknown_outcome"
    assert set(Attendance.objects.values_list("registration", flat=True)) == {
        registrations[0].pk,
        registrations[2].pk,
    }


def test_a_refused_walk_in_leaves_no_half_made_registration(ines, workshop, record_for):
    walk_in = Registration(workshop=workshop, uuid=uuid.uuid4())
    record = record_for(walk_in, walk_in={"first_name": "Gérard", "commune": "00000"})

    results = post(ines, {"records": [record]}).json()["results"]

    assert results[0]["status"] == "refused"
    assert results[0]["reason"] == "unknown_commune"
    assert not Registration.objects.filter(uuid=walk_in.uuid).exists()


def test_a_walk_in_becomes_one_registration_however_often_it_is_recorded(
    ines, mediator, workshop, record_for
):
    commune = make_commune(name="Rue")
    walk_in = Registration(workshop=workshop, uuid=uuid.uuid4())
    details = {"first_name": "Gérard", "commune": commune.insee_code, "phone": "06 12 34 56 78"}
    earlier = record_for(walk_in, walk_in=details, recorded_at=timezone.now() - dt.timedelta(5))
    later = record_for(walk_in, walk_in=details, note="Venu avec sa fille")

    results = post(ines, {"records": [earlier, later]}).json()["results"]

    assert [r["status"] for r in results] == ["accepted", "accepted"]
    registration = Registration.objects.get(uuid=walk_in.uuid)
    assert registration.channel == RegistrationChannel.WALK_IN
    assert registration.first_name == "Gérard"
    assert registration.home_commune == commune
    assert registration.phone == "+33612345678"  # normalised like a sign-up's
    assert registration.created_by == mediator
    assert registration.attendance.note == "Venu avec sa fille"
    assert workshop.registrations.count() == 1


def test_the_record_made_last_on_a_tablet_wins_and_the_loser_is_kept(
    ines, workshop, registrations, record_for
):
    """Two tablets edit the same person: the record made later wins, whatever arrives first."""
    now = timezone.now()
    outcome = workshop.module.outcomes.first()
    made_first = record_for(registrations[0], present=False, recorded_at=now - dt.timedelta(20))
    made_last = record_for(
        registrations[0], outcomes=[outcome.pk], recorded_at=now - dt.timedelta(minutes=10)
    )

    # The tablet that recorded last has a signal first.
    first_answer = post(ines, {"records": [made_last]}).json()["results"][0]
    late_answer = post(ines, {"records": [made_first]}).json()["results"][0]

    assert first_answer["result"] == "in_force"
    assert late_answer["status"] == "accepted"
    assert late_answer["result"] == "outdated"
    attendance = Attendance.objects.get(registration=registrations[0])
    assert str(attendance.uuid) == made_last["uuid"]
    assert attendance.present is True
    assert list(attendance.outcomes.all()) == [outcome]
    kept = attendance.history.get()
    assert str(kept.uuid) == made_first["uuid"]
    assert kept.fate == AttendanceVersion.Fate.OUTDATED
    assert kept.data["present"] is False


def test_a_later_record_replaces_the_one_in_force_which_goes_to_history(
    ines, workshop, registrations, record_for
):
    now = timezone.now()
    outcome = workshop.module.outcomes.first()
    before = record_for(registrations[0], outcomes=[outcome.pk], recorded_at=now - dt.timedelta(1))
    after = record_for(registrations[0], present=False, recorded_at=now - dt.timedelta(hours=1))
    post(ines, {"records": [before]})

    answer = post(ines, {"records": [after]}).json()["results"][0]

    assert answer["result"] == "in_force"
    attendance = Attendance.objects.get(registration=registrations[0])
    assert attendance.present is False
    assert not attendance.outcomes.exists()
    replaced = attendance.history.get()
    assert str(replaced.uuid) == before["uuid"]
    assert replaced.fate == AttendanceVersion.Fate.REPLACED
    assert replaced.data["outcomes"] == [outcome.pk]
    # Replaying either record now is a duplicate: history counts as already received.
    replay = post(ines, {"records": [before, after]}).json()["results"]
    assert [r["status"] for r in replay] == ["duplicate", "duplicate"]


def test_an_absent_person_reached_no_outcome(ines, workshop, registrations, record_for):
    outcome = workshop.module.outcomes.first()
    record = record_for(registrations[0], present=False, outcomes=[outcome.pk], minutes_spent=30)

    post(ines, {"records": [record]})

    attendance = Attendance.objects.get(registration=registrations[0])
    assert attendance.present is False
    assert not attendance.outcomes.exists()
    assert attendance.minutes_spent is None


def test_a_mediator_cannot_write_to_a_stop_they_are_not_assigned_to(
    client, outsider_mediator, workshop, registrations, record_for
):
    client.force_login(outsider_mediator)

    answer = post(client, {"records": [record_for(registrations[0])]}).json()["results"][0]

    assert answer["status"] == "refused"
    assert answer["reason"] == "forbidden"
    assert not Attendance.objects.exists()


def test_a_coordinator_can_write_to_any_workshop(client, coordinator, registrations, record_for):
    client.force_login(coordinator)

    answer = post(client, {"records": [record_for(registrations[0])]}).json()["results"][0]

    assert answer["status"] == "accepted"
    assert Attendance.objects.get().recorded_by == coordinator


def test_a_record_cannot_move_a_registration_to_another_workshop(
    ines, mediator, registrations, record_for
):
    other = make_workshop()
    other.stop.mediators.add(mediator)

    answer = post(ines, {"records": [record_for(registrations[0], workshop=other.pk)]}).json()

    assert answer["results"][0]["reason"] == "registration_not_in_workshop"
    assert not Attendance.objects.exists()


def test_an_anonymous_request_is_refused(client, registrations, record_for):
    response = post(client, {"records": [record_for(registrations[0])]})

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert not Attendance.objects.exists()


def test_an_account_without_a_role_on_the_tour_is_refused(client, registrations, record_for):
    client.force_login(make_user("resident"))

    response = post(client, {"records": [record_for(registrations[0])]})

    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_the_endpoint_needs_the_csrf_token(mediator, registrations, record_for):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mediator)
    body = json.dumps({"records": [record_for(registrations[0])]})

    without = client.post(SYNC_URL, body, content_type="application/json")
    client.get("/tablette/")  # the page sets the CSRF cookie, as in the browser
    token = client.cookies["csrftoken"].value
    with_token = client.post(
        SYNC_URL, body, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert without.status_code == 403
    assert with_token.status_code == 200
    assert Attendance.objects.count() == 1


def test_malformed_json_gets_a_400_with_a_clear_message(ines):
    response = post(ines, '{"records": [')

    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    assert response.json()["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[]", "missing_records"),
        ('"records"', "missing_records"),
        ('{"records": {"uuid": "x"}}', "records_not_a_list"),
        (b"\xff\xfe not utf-8", "malformed_json"),
        ("", "malformed_json"),
    ],
)
def test_a_body_of_the_wrong_shape_gets_a_400(ines, body, code):
    response = post(ines, body)

    assert response.status_code == 400
    assert response.json()["error"] == code


def test_a_batch_of_a_thousand_records_is_accepted_and_one_more_gets_a_400(
    ines, registrations, record_for
):
    accepted = post(ines, {"records": [record_for(registrations[0])] * 1000})
    assert accepted.status_code == 200
    assert len(accepted.json()["results"]) == 1000
    Attendance.objects.all().delete()

    response = post(ines, {"records": [record_for(registrations[0])] * 1001})

    assert response.status_code == 400
    assert response.json()["error"] == "batch_too_large"
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"uuid": "not-a-uuid"}, "invalid_uuid"),
        ({"uuid": 12}, "invalid_uuid"),
        ({"recorded_at": "2026-11-29T10:00:00"}, "invalid_recorded_at"),
        ({"recorded_at": "yesterday"}, "invalid_recorded_at"),
        ({"recorded_at": "2099-01-01T10:00:00+01:00"}, "recorded_at_in_future"),
        ({"workshop": "1"}, "invalid_workshop"),
        ({"workshop": 999999}, "unknown_workshop"),
        ({"registration": str(uuid.uuid4())}, "unknown_registration"),
        ({"present": "yes"}, "invalid_present"),
        ({"outcomes": [True]}, "invalid_outcomes"),
        ({"outcomes": "1"}, "invalid_outcomes"),
        ({"minutes_spent": -5}, "invalid_minutes_spent"),
        ({"minutes_spent": 100000}, "invalid_minutes_spent"),
        ({"autonomy": "genius"}, "invalid_autonomy"),
        ({"note": "x" * 2000}, "invalid_note"),
        ({"walk_in": "Gérard"}, "invalid_walk_in"),
        ({"walk_in": {"first_name": "Gé\x00rard", "commune": "80001"}}, "invalid_walk_in"),
        ({"recorded_at": "2026-02-31T10:00:00Z"}, "invalid_recorded_at"),
        ({"recorded_at": 1764400000}, "invalid_recorded_at"),
        ({"workshop": 10**30}, "invalid_workshop"),
        ({"outcomes": [10**30]}, "invalid_outcomes"),
        ({"tablet": 2**63}, "invalid_tablet"),
        ({"note": "nul \x00 byte"}, "invalid_note"),
    ],
)
def test_a_bad_record_is_refused_with_its_reason(ines, registrations, record_for, change, reason):
    record = record_for(registrations[0]) | change

    response = post(ines, {"records": [record, None, 3]})

    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["status"] == "refused"
    assert results[0]["reason"] == reason
    assert [r["reason"] for r in results[1:]] == ["not_an_object", "not_an_object"]
    assert not Attendance.objects.exists()


def test_only_get_and_post_are_understood(ines):
    assert ines.get(SYNC_URL).status_code == 405


def test_a_registration_made_elsewhere_is_reachable(ines, workshop, record_for):
    """A registration taken by phone at the office the same morning is on the roster too."""
    registration = make_registration(workshop=workshop, channel="phone")

    answer = post(ines, {"records": [record_for(registration)]}).json()["results"][0]

    assert answer["status"] == "accepted"


def test_a_walk_in_sharing_a_signed_up_persons_landline_is_accepted(ines, workshop, record_for):
    # Jeanine signed up with the home's landline; Marcel, her husband, comes along and gives
    # the same number. Before, the database refused the second phone and the batch failed.
    make_registration(
        workshop=workshop, first_name="Jeanine", last_name="Caron", phone="+33322718000"
    )
    marcel = Registration(workshop=workshop, uuid=uuid.uuid4())
    details = {
        "first_name": "Marcel",
        "commune": make_commune().insee_code,
        "phone": "03 22 71 80 00",
    }

    response = post(ines, {"records": [record_for(marcel, walk_in=details)]})

    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "accepted"
    assert workshop.registrations.filter(phone="+33322718000").count() == 2


def test_a_signed_up_person_added_again_as_a_walk_in_is_refused_with_the_reason(
    ines, workshop, record_for
):
    # Inès adds "jeanine" with Jeanine's own number: it is Jeanine, whose card is the one to
    # mark. Refused with its reason (the tablet says it), never a failed batch. The same
    # walk-in typed twice in one batch, under two UUIDs, is refused the second time too.
    make_registration(
        workshop=workshop, first_name="Jeanine", last_name="Caron", phone="+33322718000"
    )
    commune = make_commune().insee_code
    again = record_for(
        Registration(workshop=workshop, uuid=uuid.uuid4()),
        walk_in={"first_name": " jeanine", "commune": commune, "phone": "0322718000"},
    )
    gerard = {"first_name": "Gérard", "commune": commune, "phone": "06 12 34 56 78"}
    first = record_for(Registration(workshop=workshop, uuid=uuid.uuid4()), walk_in=gerard)
    twice = record_for(Registration(workshop=workshop, uuid=uuid.uuid4()), walk_in=gerard)

    response = post(ines, {"records": [again, first, twice]})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["status"], r.get("reason", "")) for r in results] == [
        ("refused", "already_registered"),
        ("accepted", ""),
        ("refused", "already_registered"),
    ]
    assert workshop.registrations.count() == 2
