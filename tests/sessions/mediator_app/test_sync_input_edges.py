"""What a broken or hostile tablet sends is refused with a reason, and breaks no page after."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from mediation.json_api import MAX_DEPTH
from sessions.mediator_app.views import SYNC_MAX_BYTES
from sessions.models import Attendance, Registration
from tests.factories import make_commune

pytestmark = pytest.mark.django_db
SYNC_URL = "/tablette/sync/"


def post(client, body, url=SYNC_URL):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


@pytest.fixture
def ines(client, mediator):
    client.force_login(mediator)
    return client


@pytest.mark.parametrize(
    ("recorded_at", "reason"),
    [
        ("0001-01-01T00:00:00+00:00", "recorded_at_too_old"),
        ("0001-01-01T00:30:00+14:00", "recorded_at_too_old"),
        (dt.timedelta(days=-400), "recorded_at_too_old"),
        (dt.timedelta(days=2), "recorded_at_in_future"),
        ("9999-12-31T23:59:59-14:00", "recorded_at_in_future"),
    ],
)
def test_a_time_outside_the_sane_window_is_refused_with_its_reason(
    ines, registrations, record_for, recorded_at, reason
):
    if isinstance(recorded_at, dt.timedelta):
        recorded_at = (timezone.now() + recorded_at).isoformat()
    record = record_for(registrations[0]) | {"recorded_at": recorded_at}

    results = post(ines, {"records": [record]}).json()["results"]

    assert (results[0]["status"], results[0]["reason"]) == ("refused", reason)
    assert not Attendance.objects.exists()


def test_after_a_year_0001_record_the_day_and_the_admin_still_answer(
    ines, coordinator, workshop, registrations, record_for
):
    post(ines, {"records": [record_for(registrations[0]) | {"recorded_at": "0001-01-01T00:00Z"}]})

    assert ines.get(reverse("mediator_app:day")).status_code == 200
    ines.force_login(coordinator)
    assert ines.get(reverse("attendance_workshop", args=[workshop.pk])).status_code == 200


def test_a_record_from_last_month_is_still_taken(ines, registrations, record_for):
    record = record_for(registrations[0], recorded_at=timezone.now() - dt.timedelta(days=30))
    assert post(ines, {"records": [record]}).json()["results"][0]["status"] == "accepted"


def nested(depth: int) -> str:
    return '{"records": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("endpoint", ["sync", "tablet_reset"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 2000, 30_000])
def test_json_nested_too_deep_gets_a_400_on_every_json_endpoint(ines, tablet, endpoint, depth):
    args = [tablet.pk] if endpoint == "tablet_reset" else []
    response = post(ines, nested(depth), url=reverse(f"mediator_app:{endpoint}", args=args))

    assert response.status_code == 400
    assert response.json()["error"] == "too_deep"


def test_a_body_over_the_size_limit_gets_a_400_without_being_read(ines):
    response = post(ines, '{"records": [], "padding": "' + "x" * SYNC_MAX_BYTES + '"}')

    assert response.status_code == 400
    assert response.json()["error"] == "too_large"


def test_a_walk_ins_phone_is_normalised_like_a_sign_ups(ines, workshop, record_for):
    commune = make_commune(name="Rue")
    walk_in = Registration(workshop=workshop, uuid=uuid.uuid4())
    details = {"first_name": "Gérard", "commune": commune.insee_code, "phone": "06.12.34.56.78"}

    post(ines, {"records": [record_for(walk_in, walk_in=details)]})

    assert Registration.objects.get(uuid=walk_in.uuid).phone == "+33612345678"


@pytest.mark.parametrize("phone", ["pas de tel", "0612", "+33 6 12 34 56 78 90 12 34 56 78"])
def test_a_walk_in_with_a_phone_that_is_not_one_is_refused_with_a_reason(
    ines, workshop, record_for, phone
):
    commune = make_commune(name="Rue")
    walk_in = Registration(workshop=workshop, uuid=uuid.uuid4())
    details = {"first_name": "Gérard", "commune": commune.insee_code, "phone": phone}

    results = post(ines, {"records": [record_for(walk_in, walk_in=details)]}).json()["results"]

    assert (results[0]["status"], results[0]["reason"]) == ("refused", "invalid_walk_in_phone")
    assert not Registration.objects.filter(uuid=walk_in.uuid).exists()
