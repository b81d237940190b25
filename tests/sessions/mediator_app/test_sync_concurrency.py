"""The same batch sent twice at once (a tablet retrying on a flaky signal) lands once."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone

from sessions.mediator_app.sync import attendance_sync_batch
from sessions.models import Attendance, AttendanceVersion, Registration
from tablets.models import TabletReset, TabletUse
from tests.factories import make_commune, make_tablet

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is only real on PostgreSQL"
    ),
]
COPIES = 6


def _send_at_once(user, batch) -> list[list[dict]]:
    barrier = threading.Barrier(COPIES)
    answers: list[list[dict]] = []

    def send():
        try:
            barrier.wait()
            answers.append(attendance_sync_batch(user=user, records=batch))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_batch_sent_several_times_at_once_is_applied_once(mediator, workshop, registrations):
    commune = make_commune()
    walk_in_uuid = uuid.uuid4()
    made_at = timezone.now() - dt.timedelta(minutes=3)
    batch = [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": made_at.isoformat(),
            "workshop": workshop.pk,
            "registration": str(registration.uuid),
            "present": True,
        }
        for registration in registrations
    ] + [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": made_at.isoformat(),
            "workshop": workshop.pk,
            "registration": str(walk_in_uuid),
            "present": True,
            "walk_in": {"first_name": "Gérard", "commune": commune.insee_code},
        }
    ]

    answers = _send_at_once(mediator, batch)

    assert len(answers) == COPIES
    for position in range(len(batch)):
        statuses = sorted(copy[position]["status"] for copy in answers)
        assert statuses == ["accepted"] + ["duplicate"] * (COPIES - 1)
    assert Attendance.objects.count() == len(batch)
    assert Registration.objects.filter(uuid=walk_in_uuid).count() == 1
    assert not AttendanceVersion.objects.exists()


def test_a_use_and_its_reset_sent_several_times_at_once_reach_the_fleet_once(
    mediator, workshop, registrations
):
    tablet = make_tablet()
    made_at = timezone.now() - dt.timedelta(minutes=3)
    use = {
        "uuid": str(uuid.uuid4()),
        "recorded_at": made_at.isoformat(),
        "workshop": workshop.pk,
        "registration": str(registrations[0].uuid),
        "present": True,
        "tablet": tablet.pk,
    }
    reset = {
        "kind": "tablet_reset",
        "uuid": str(uuid.uuid4()),
        "recorded_at": (made_at + dt.timedelta(minutes=1)).isoformat(),
        "tablet": tablet.pk,
    }

    answers = _send_at_once(mediator, [use, reset])

    for position in range(2):
        statuses = sorted(copy[position]["status"] for copy in answers)
        assert statuses == ["accepted"] + ["duplicate"] * (COPIES - 1)
    assert TabletReset.objects.count() == 1
    assert TabletUse.objects.get().reset == TabletReset.objects.get()
    tablet.refresh_from_db()
    assert tablet.is_ready_for_resident
