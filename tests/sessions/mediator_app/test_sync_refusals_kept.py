"""A record the server refuses reaches the coordinators: kept once per UUID, its sends
counted, and marked "accepted later" once a batch puts it right; set-based, whatever the
number of refusals."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.mediator_app.sync import attendance_sync_batch
from sessions.models import RefusedRecord
from tests.factories import make_commune, make_registration, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(outsider_mediator):
    """A workshop given to Olivier while Inès worked offline."""
    workshop = make_workshop()
    workshop.stop.mediators.add(outsider_mediator)
    return workshop


def test_a_refused_record_is_kept_once_with_its_sends_counted(mediator, elsewhere, record_for):
    jeanine = make_registration(workshop=elsewhere, first_name="Jeanine", last_name="Martin")
    record = record_for(jeanine, present=True, note="a besoin d'aide pour la CAF")

    for _ in range(3):
        answers = attendance_sync_batch(user=mediator, records=[record, record])
        # The copy within the batch is a duplicate: one refusal a send.
        assert [answer["status"] for answer in answers] == ["refused", "duplicate"]

    refused = RefusedRecord.objects.get()
    assert refused.uuid == uuid.UUID(record["uuid"])
    assert refused.times == 3
    assert refused.reason == "forbidden"
    assert refused.mediator == mediator
    assert refused.registration == jeanine
    assert refused.workshop == elsewhere
    assert refused.present is True
    assert (
        refused.recorded_at.isoformat()
        == dt.datetime.fromisoformat(record["recorded_at"]).isoformat()
    )
    assert refused.first_refused_at <= refused.last_refused_at
    assert refused.resolved_at is None


def test_a_record_refused_as_it_is_read_is_kept_with_what_reads(mediator, workshop, record_for):
    odette = make_registration(workshop=workshop, first_name="Odette")
    record = record_for(odette, recorded_at=timezone.now() + dt.timedelta(hours=3))

    [answer] = attendance_sync_batch(user=mediator, records=[record, {"uuid": "pas-un-uuid"}])[:1]

    assert answer["reason"] == "recorded_at_in_future"
    refused = RefusedRecord.objects.get()
    assert (refused.reason, refused.registration, refused.workshop) == (
        "recorded_at_in_future",
        odette,
        workshop,
    )


def test_a_walk_in_refused_keeps_only_a_first_name_and_never_the_phone(
    mediator, elsewhere, record_for
):
    walk_in = {
        "uuid": str(uuid.uuid4()),
        "recorded_at": timezone.now().isoformat(),
        "workshop": elsewhere.pk,
        "registration": str(uuid.uuid4()),
        "present": True,
        "note": "habite chez sa fille",
        "walk_in": {
            "first_name": "Gérard",
            "commune": make_commune().insee_code,
            "phone": "06 12 34 56 78",
        },
    }

    attendance_sync_batch(user=mediator, records=[walk_in])

    refused = RefusedRecord.objects.get()
    assert refused.walk_in_name == "Gérard"
    assert refused.registration is None
    assert str(refused.registration_uuid) == walk_in["registration"]
    values = " ".join(str(value) for value in RefusedRecord.objects.values().get().values())
    assert "12 34" not in values and "+336" not in values and "fille" not in values


def test_a_refusal_sent_again_once_put_right_is_marked_accepted_later(
    mediator, elsewhere, record_for
):
    jeanine = make_registration(workshop=elsewhere)
    record = record_for(jeanine)
    attendance_sync_batch(user=mediator, records=[record])
    elsewhere.stop.mediators.add(mediator)  # the coordination gives the stop back

    [answer] = attendance_sync_batch(user=mediator, records=[record])

    assert answer["status"] == "accepted"
    refused = RefusedRecord.objects.get()
    assert refused.resolution == RefusedRecord.Resolution.ACCEPTED_LATER
    assert refused.resolved_at is not None


def test_a_newer_record_for_the_registration_puts_the_refusal_right(
    mediator, elsewhere, record_for
):
    jeanine = make_registration(workshop=elsewhere)
    made = timezone.now() - dt.timedelta(minutes=30)
    attendance_sync_batch(user=mediator, records=[record_for(jeanine, recorded_at=made)])
    elsewhere.stop.mediators.add(mediator)

    attendance_sync_batch(
        user=mediator, records=[record_for(jeanine, recorded_at=made + dt.timedelta(minutes=5))]
    )

    assert RefusedRecord.objects.get().resolution == RefusedRecord.Resolution.ACCEPTED_LATER


def test_an_older_record_for_the_registration_leaves_the_refusal_open(
    mediator, elsewhere, record_for
):
    jeanine = make_registration(workshop=elsewhere)
    made = timezone.now() - dt.timedelta(minutes=30)
    attendance_sync_batch(user=mediator, records=[record_for(jeanine, recorded_at=made)])
    elsewhere.stop.mediators.add(mediator)

    attendance_sync_batch(
        user=mediator, records=[record_for(jeanine, recorded_at=made - dt.timedelta(minutes=5))]
    )

    assert RefusedRecord.objects.get().resolved_at is None


def test_a_refusal_dealt_with_stays_dealt_with_when_sent_again(
    mediator, coordinator, elsewhere, record_for
):
    from sessions.refusals import refused_record_dismiss

    record = record_for(make_registration(workshop=elsewhere))
    attendance_sync_batch(user=mediator, records=[record])
    refused_record_dismiss(record_id=RefusedRecord.objects.get().pk, by=coordinator)

    attendance_sync_batch(user=mediator, records=[record])

    refused = RefusedRecord.objects.get()
    assert (refused.times, refused.resolution) == (2, RefusedRecord.Resolution.DISMISSED)


def test_one_refusal_and_fifty_cost_the_same_queries(mediator, elsewhere, record_for):
    def queries(count: int) -> int:
        records = [record_for(make_registration(workshop=elsewhere)) for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            answers = attendance_sync_batch(user=mediator, records=records)
        assert {answer["status"] for answer in answers} == {"refused"}
        return len(captured.captured_queries)

    one, fifty = queries(1), queries(50)

    assert one == fifty
    assert RefusedRecord.objects.count() == 51


def test_a_batch_of_refusals_is_kept_by_one_statement(mediator, elsewhere, record_for):
    records = [record_for(make_registration(workshop=elsewhere)) for _ in range(20)]

    with CaptureQueriesContext(connection) as captured:
        attendance_sync_batch(user=mediator, records=records + records)

    table = RefusedRecord._meta.db_table
    assert len([q for q in captured.captured_queries if table in q["sql"]]) == 1
    assert set(RefusedRecord.objects.values_list("times", flat=True)) == {1}
