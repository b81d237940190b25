"""Lending-tablet resets made offline travel in the sync batches, in the order they were made."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from sessions.models import Attendance
from tablets.models import TabletReset, TabletUse
from tests.factories import make_tablet
from tests.sessions.mediator_app.test_sync_endpoint import post

pytestmark = pytest.mark.django_db


def reset_of(tablet_id, *, minutes_ago=5, **fields):
    """A reset as the tablet app sends it."""
    return {
        "kind": "tablet_reset",
        "uuid": str(uuid.uuid4()),
        "recorded_at": (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat(),
        "tablet": tablet_id,
        "factory_reset": False,
    } | fields


def test_a_reset_made_offline_is_accepted_and_clears_the_tablet(
    ines, mediator, registrations, record_for, tablet
):
    post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]})
    reset = reset_of(tablet.pk, minutes_ago=2)

    answer = post(ines, {"records": [reset]}).json()["results"]

    assert answer == [{"uuid": reset["uuid"], "status": "accepted"}]
    tablet.refresh_from_db()
    assert not tablet.needs_reset
    recorded = TabletReset.objects.get(tablet=tablet)
    assert (str(recorded.uuid), recorded.by, recorded.at.isoformat()) == (
        reset["uuid"],
        mediator,
        reset["recorded_at"],
    )


def test_a_replayed_reset_is_a_duplicate_and_records_nothing(
    ines, registrations, record_for, tablet
):
    batch = {
        "records": [
            record_for(
                registrations[0],
                tablet=tablet.pk,
                recorded_at=timezone.now() - dt.timedelta(minutes=9),
            ),
            reset_of(tablet.pk, minutes_ago=8),
        ]
    }
    post(ines, batch)

    replay = post(ines, batch).json()["results"]

    assert [answer["status"] for answer in replay] == ["duplicate", "duplicate"]
    assert TabletReset.objects.count() == 1
    assert TabletUse.objects.count() == 1


def test_the_same_reset_twice_in_a_batch_is_recorded_once(ines, tablet):
    reset = reset_of(tablet.pk)

    answers = post(ines, {"records": [reset, reset]}).json()["results"]

    assert [answer["status"] for answer in answers] == ["accepted", "duplicate"]
    assert TabletReset.objects.count() == 1


def test_a_reset_of_an_unknown_tablet_is_refused_without_spoiling_the_batch(
    ines, registrations, record_for
):
    answers = post(ines, {"records": [reset_of(999_999), record_for(registrations[0])]}).json()[
        "results"
    ]

    assert answers[0]["status"] == "refused"
    assert answers[0]["reason"] == "unknown_tablet"
    assert answers[1]["status"] == "accepted"
    assert not TabletReset.objects.exists()


def test_a_reset_of_a_tablet_out_of_service_is_refused(ines, tablet):
    tablet.status = "in_repair"
    tablet.save()

    answer = post(ines, {"records": [reset_of(tablet.pk)]}).json()["results"][0]

    assert (answer["status"], answer["reason"]) == ("refused", "unavailable")
    assert not TabletReset.objects.exists()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"uuid": "not-a-uuid"}, "invalid_uuid"),
        ({"recorded_at": "hier"}, "invalid_recorded_at"),
        (
            {"recorded_at": (timezone.now() + dt.timedelta(days=1)).isoformat()},
            "recorded_at_in_future",
        ),
        ({"tablet": "TAB-001"}, "invalid_tablet"),
        ({"tablet": None}, "invalid_tablet"),
        ({"factory_reset": "oui"}, "invalid_factory_reset"),
    ],
)
def test_a_malformed_reset_is_refused_with_its_reason(ines, tablet, fields, reason):
    answer = post(ines, {"records": [reset_of(tablet.pk, **fields)]})

    assert answer.status_code == 200
    assert answer.json()["results"][0]["reason"] == reason
    assert not TabletReset.objects.exists()


def test_use_reset_use_in_one_batch_reach_the_fleet_in_order(
    ines, registrations, record_for, tablet
):
    """Offline, Inès lent the tablet to Jeanine, wiped it, lent it to Marcel."""
    jeanine, marcel, _ = registrations
    now = timezone.now()
    first_use = record_for(jeanine, tablet=tablet.pk, recorded_at=now - dt.timedelta(minutes=30))
    reset = reset_of(tablet.pk, minutes_ago=20)
    second_use = record_for(marcel, tablet=tablet.pk, recorded_at=now - dt.timedelta(minutes=10))

    answers = post(ines, {"records": [first_use, reset, second_use]}).json()["results"]

    assert [answer["status"] for answer in answers] == ["accepted"] * 3
    recorded = TabletReset.objects.get()
    uses = {use.reference: use for use in TabletUse.objects.all()}
    assert uses[first_use["uuid"]].reset == recorded
    assert uses[second_use["uuid"]].reset is None
    assert Attendance.objects.get(registration=marcel).lending_tablet == tablet
    tablet.refresh_from_db()
    # Marcel used it last: it awaits its next reset.
    assert tablet.needs_reset


def test_use_then_reset_in_one_batch_leaves_the_tablet_ready(
    ines, registrations, record_for, tablet
):
    use = record_for(
        registrations[0], tablet=tablet.pk, recorded_at=timezone.now() - dt.timedelta(minutes=9)
    )

    post(ines, {"records": [use, reset_of(tablet.pk, minutes_ago=8)]})

    tablet.refresh_from_db()
    assert tablet.is_ready_for_resident
    assert TabletUse.objects.get(reference=use["uuid"]).reset == TabletReset.objects.get()


def test_a_reset_only_clears_the_uses_sent_before_it(ines, registrations, record_for):
    """The batch order is the order the tablet made them: a use sent after a reset is not
    cleared by it, even on another lending tablet of the same batch."""
    first, second = make_tablet(), make_tablet()
    reset = reset_of(first.pk, minutes_ago=9)
    use = record_for(
        registrations[0], tablet=first.pk, recorded_at=timezone.now() - dt.timedelta(minutes=8)
    )
    other = record_for(registrations[1], tablet=second.pk)

    post(ines, {"records": [reset, use, other]})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.needs_reset and second.needs_reset
    assert TabletUse.objects.get(reference=use["uuid"]).reset is None


def test_two_mediators_one_lending_tablet_a_late_offline_reset_clears_only_what_came_before(
    ines, workshop, registrations, record_for, tablet
):
    """Inès (no signal) lends TAB-001 to Jeanine at 9:00 and wipes it at 9:30, then hands it
    to Paul, whose phone has a signal: he lends it to Marcel at 10:00, and the fleet learns of
    it at once. Inès's records arrive at 11:00. Jeanine did use a clean tablet (her record
    must not be refused), and the 9:30 wipe cannot have cleared Marcel's session of 10:00:
    TAB-001 still awaits a reset before the next resident."""
    from django.test import Client

    from tests.factories import make_mediator

    paul = make_mediator("paul")
    workshop.stop.mediators.add(paul)
    paul_client = Client()
    paul_client.force_login(paul)
    jeanine, marcel, _ = registrations
    now = timezone.now()
    marcel_use = record_for(marcel, tablet=tablet.pk, recorded_at=now - dt.timedelta(minutes=60))
    assert post(paul_client, {"records": [marcel_use]}).json()["results"][0]["status"] == (
        "accepted"
    )
    jeanine_use = record_for(jeanine, tablet=tablet.pk, recorded_at=now - dt.timedelta(minutes=120))
    wipe = reset_of(tablet.pk, minutes_ago=90)

    answers = post(ines, {"records": [jeanine_use, wipe]}).json()["results"]

    assert [answer["status"] for answer in answers] == ["accepted", "accepted"]
    assert Attendance.objects.get(registration=jeanine).lending_tablet == tablet
    recorded_wipe = TabletReset.objects.get(uuid=wipe["uuid"])
    assert TabletUse.objects.get(reference=jeanine_use["uuid"]).reset == recorded_wipe
    assert TabletUse.objects.get(reference=marcel_use["uuid"]).reset is None
    tablet.refresh_from_db()
    assert tablet.needs_reset
    assert tablet.reset_pending_since == dt.datetime.fromisoformat(marcel_use["recorded_at"])
