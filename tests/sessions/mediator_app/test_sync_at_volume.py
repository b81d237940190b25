"""A tablet's batch costs the same queries for ten records as for a hundred, and a resident
signing up for a workshop of that batch never waits for it."""

import datetime as dt
import threading
import time
import uuid

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.mediator_app.sync import attendance_sync_batch
from sessions.models import Attendance, AttendanceVersion, Registration
from sessions.services import registration_create
from tests.factories import make_commune, make_registration, make_stop, make_workshop


def walk_ins(workshop, commune, count: int) -> list[dict]:
    made_at = (timezone.now() - dt.timedelta(minutes=2)).isoformat()
    return [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": made_at,
            "workshop": workshop.pk,
            "registration": str(uuid.uuid4()),
            "present": True,
            "walk_in": {"first_name": "Gérard", "commune": commune.insee_code},
        }
        for _ in range(count)
    ]


def batch_queries(user, records) -> tuple[int, int]:
    """The batch's reads, and its writes (insert, update or delete statements)."""
    with CaptureQueriesContext(connection) as captured:
        answers = attendance_sync_batch(user=user, records=records)
    assert {answer["status"] for answer in answers} == {"accepted"}
    statements = [query["sql"].split(" ", 1)[0] for query in captured.captured_queries]
    return (
        statements.count("SELECT"),
        # Bulk statements: SQLite splits them in batches of 999 parameters, PostgreSQL not.
        sum(statements.count(kind) for kind in ("INSERT", "UPDATE", "DELETE")),
    )


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_for_ten_records_as_for_a_hundred(
    mediator, workshop, record_for
):
    commune = make_commune()

    def batch(size: int) -> list[dict]:
        people = [make_registration(workshop=workshop) for _ in range(size)]
        corrected = [make_registration(workshop=workshop) for _ in range(size)]
        first = [record_for(person) for person in corrected]
        attendance_sync_batch(user=mediator, records=first)  # in force: the next ones replace
        return (
            [record_for(person, outcomes=[]) for person in people]
            + [record_for(person, recorded_at=timezone.now()) for person in corrected]
            + walk_ins(workshop, commune, size)
        )

    small, large = batch(10), batch(100)

    (few_reads, few_writes), (many_reads, many_writes) = [
        batch_queries(mediator, records) for records in (small, large)
    ]
    assert many_reads == few_reads <= 12
    assert few_writes <= many_writes <= 15
    assert AttendanceVersion.objects.count() == 110
    assert Attendance.objects.count() == 330


@pytest.mark.django_db
def test_a_batch_of_a_thousand_records_costs_the_reads_of_a_batch_of_ten(mediator, workshop):
    """A week without signal: 400 first records, 400 corrections, 200 walk-ins."""
    commune = make_commune()
    workshop.capacity = 2000
    workshop.save()
    made_at = timezone.now() - dt.timedelta(hours=1)

    def record(registration_uuid, at) -> dict:
        return {
            "uuid": str(uuid.uuid4()),
            "recorded_at": at.isoformat(),
            "workshop": workshop.pk,
            "registration": str(registration_uuid),
            "present": True,
            "minutes_spent": 45,
        }

    def batch(size: int, offset: int) -> list[dict]:
        people = Registration.objects.bulk_create(
            Registration(workshop=workshop, first_name="Jeanine", phone=f"+3361{offset + n:07d}")
            for n in range(2 * size)
        )
        first, corrected = people[:size], people[size:]
        attendance_sync_batch(user=mediator, records=[record(p.uuid, made_at) for p in corrected])
        later = made_at + dt.timedelta(minutes=30)
        return (
            [record(p.uuid, made_at) for p in first]
            + [record(p.uuid, later) for p in corrected]
            + walk_ins(workshop, commune, size // 2)
        )

    small, large = batch(4, 0), batch(400, 1000)
    assert len(small) == 10 and len(large) == 1000

    (few_reads, few_writes), (many_reads, many_writes) = [
        batch_queries(mediator, records) for records in (small, large)
    ]
    assert many_reads == few_reads <= 12
    if connection.vendor == "postgresql":
        assert many_writes == few_writes
    else:  # SQLite splits bulk statements within its limit on parameters
        assert many_writes <= 60
    assert AttendanceVersion.objects.count() == 404
    assert Attendance.objects.count() == 10 + 1000


@pytest.mark.django_db
def test_a_replayed_batch_is_answered_from_two_queries(mediator, workshop, record_for):
    records = [record_for(make_registration(workshop=workshop)) for _ in range(50)]
    attendance_sync_batch(user=mediator, records=records)

    with CaptureQueriesContext(connection) as captured:
        answers = attendance_sync_batch(user=mediator, records=records)

    assert {answer["status"] for answer in answers} == {"duplicate"}
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="locks are only real on PostgreSQL")
def test_a_resident_signing_up_during_a_sync_of_that_workshop_does_not_wait(mediator):
    commune = make_commune()
    workshop = make_workshop(stop=make_stop(date=timezone.localdate() + dt.timedelta(days=3)))
    workshop.stop.mediators.add(mediator)
    people = [make_registration(workshop=workshop) for _ in range(20)]
    records = walk_ins(workshop, commune, 50) + [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": timezone.now().isoformat(),
            "workshop": workshop.pk,
            "registration": str(person.uuid),
            "present": True,
        }
        for person in people
    ]
    applied, done = threading.Event(), threading.Event()

    def sync_held_open():
        # The sync's transaction stays open after its writes, as a slow batch's would.
        try:
            with transaction.atomic():
                attendance_sync_batch(user=mediator, records=records)
                applied.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=sync_held_open)
    thread.start()
    try:
        assert applied.wait(30)
        started = time.perf_counter()
        registration = registration_create(
            workshop=workshop, first_name="Josiane", phone="0611223344", notify=False
        )
        waited = time.perf_counter() - started
    finally:
        done.set()
        thread.join()

    assert waited < 1.0
    assert registration.pk
    assert Registration.objects.filter(workshop=workshop).count() == 20 + 50 + 1
