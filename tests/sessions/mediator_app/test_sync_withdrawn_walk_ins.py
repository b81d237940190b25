"""A walk-in added by mistake on a tablet, taken off the roster ("withdrawn")."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from sessions.mediator_app.roster import day_payload
from sessions.models import Registration, RegistrationStatus
from tests.factories import make_commune

pytestmark = pytest.mark.django_db
SYNC_URL = "/tablette/sync/"


def post(client, records):
    response = client.post(SYNC_URL, json.dumps({"records": records}), "application/json")
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def gerard(workshop):
    """Gérard, whom Inès added as a walk-in to the wrong workshop; not yet on the server."""
    return Registration(workshop=workshop, uuid=uuid.uuid4())


@pytest.fixture
def details():
    return {"first_name": "Gérard", "commune": make_commune(name="Rue").insee_code}


def test_a_walk_in_withdrawn_after_it_reached_the_server_is_cancelled_and_left_off_the_roster(
    ines, mediator, workshop, gerard, details, record_for
):
    added = record_for(gerard, walk_in=details, recorded_at=timezone.now() - dt.timedelta(5))
    post(ines, [added])
    assert workshop.seats_taken == 0  # a walk-in holds no advance seat

    withdrawn = record_for(gerard, walk_in=details, present=False, withdrawn=True)
    results = post(ines, [withdrawn])

    assert results[0]["status"] == "accepted"
    registration = Registration.objects.get(uuid=gerard.uuid)
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at is not None
    assert registration.attendance.present is False
    workshop.refresh_from_db()
    assert workshop.seats_taken == 0  # nor is one released
    roster = day_payload(user=mediator, day=workshop.stop.date)
    names = [
        person["first_name"]
        for stop in roster["stops"]
        for shown in stop["workshops"]
        for person in shown["registrations"]
    ]
    assert "Gérard" not in names


def test_a_withdrawal_sent_again_changes_nothing(ines, workshop, gerard, details, record_for):
    post(ines, [record_for(gerard, walk_in=details, recorded_at=timezone.now() - dt.timedelta(5))])
    withdrawn = record_for(gerard, walk_in=details, present=False, withdrawn=True)
    post(ines, [withdrawn])
    cancelled_at = Registration.objects.get(uuid=gerard.uuid).cancelled_at

    assert post(ines, [withdrawn])[0]["status"] == "duplicate"
    assert Registration.objects.get(uuid=gerard.uuid).cancelled_at == cancelled_at


def test_a_walk_in_added_and_withdrawn_in_one_batch_arrives_cancelled(
    ines, workshop, gerard, details, record_for
):
    # The tablet sent the walk-in, lost the answer, then Inès removed her: both in one batch.
    added = record_for(gerard, walk_in=details, recorded_at=timezone.now() - dt.timedelta(5))
    withdrawn = record_for(gerard, walk_in=details, present=False, withdrawn=True)

    assert [r["status"] for r in post(ines, [added, withdrawn])] == ["accepted", "accepted"]
    registration = Registration.objects.get(uuid=gerard.uuid)
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.attendance.present is False


def test_a_withdrawal_older_than_the_record_in_force_does_not_cancel(
    ines, workshop, gerard, details, record_for
):
    # Another tablet marked Gérard present after Inès withdrew him: he did come.
    later = record_for(
        gerard, walk_in=details, recorded_at=timezone.now() - dt.timedelta(minutes=1)
    )
    earlier = record_for(
        gerard,
        walk_in=details,
        present=False,
        withdrawn=True,
        recorded_at=timezone.now() - dt.timedelta(minutes=10),
    )

    results = post(ines, [later, earlier])

    assert results[1]["result"] == "outdated"
    registration = Registration.objects.get(uuid=gerard.uuid)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.attendance.present is True


def test_a_sign_up_cannot_be_withdrawn_from_a_tablet(ines, registrations, record_for):
    jeanine = registrations[0]

    results = post(ines, [record_for(jeanine, present=False, withdrawn=True)])

    assert results[0] == {
        "uuid": results[0]["uuid"],
        "status": "refused",
        "reason": "not_a_walk_in",
    }
    jeanine.refresh_from_db()
    assert jeanine.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("change", [{"withdrawn": "yes"}, {"withdrawn": True, "present": True}])
def test_a_withdrawal_of_the_wrong_shape_is_refused(ines, gerard, details, record_for, change):
    record = record_for(gerard, walk_in=details, present=False) | change

    results = post(ines, [record])

    assert results[0]["reason"] == "invalid_withdrawn"
    assert not Registration.objects.filter(uuid=gerard.uuid).exists()
