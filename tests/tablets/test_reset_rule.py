import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tablets.errors import TabletError
from tablets.models import Tablet, TabletStatus, TabletUse
from tablets.services import tablet_record_reset, tablet_record_use
from tests.factories import make_mediator, make_stop, make_tablet

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def test_a_used_tablet_awaits_a_reset_and_leaves_the_ready_list(tablet):
    stop = make_stop()
    use = tablet_record_use(tablet=tablet, used_at=NOON, reference=str(uuid.uuid4()), stop=stop)

    tablet.refresh_from_db()
    assert use.stop == stop
    assert tablet.needs_reset
    assert not tablet.is_ready_for_resident
    assert tablet not in Tablet.objects.ready_for_resident()


def test_it_refuses_the_next_resident_until_the_tablet_is_reset(tablet):
    tablet_record_use(tablet=tablet, used_at=NOON, reference="first")

    with pytest.raises(TabletError) as excinfo:
        tablet_record_use(tablet=tablet, used_at=NOON + dt.timedelta(hours=1), reference="second")

    assert excinfo.value.code == "reset_pending"
    assert TabletUse.objects.filter(tablet=tablet).count() == 1


def test_a_reset_clears_the_pending_reset_and_records_who_and_when(tablet):
    mediator = make_mediator()
    first = tablet_record_use(tablet=tablet, used_at=NOON, reference="first")

    reset = tablet_record_reset(
        tablet=tablet, by=mediator, at=NOON + dt.timedelta(minutes=30), factory_reset=True
    )

    tablet.refresh_from_db()
    first.refresh_from_db()
    assert not tablet.needs_reset
    assert tablet in Tablet.objects.ready_for_resident()
    assert (reset.by, reset.at, reset.factory_reset) == (
        mediator,
        NOON + dt.timedelta(minutes=30),
        True,
    )
    assert first.reset == reset
    second = tablet_record_use(tablet=tablet, used_at=NOON + dt.timedelta(hours=1), reference="2")
    assert second.pk != first.pk


def test_a_replayed_use_records_nothing_twice(tablet):
    reference = str(uuid.uuid4())
    first = tablet_record_use(tablet=tablet, used_at=NOON, reference=reference)

    replay = tablet_record_use(tablet=tablet, used_at=NOON, reference=reference)

    assert replay.pk == first.pk
    assert TabletUse.objects.count() == 1


def test_a_replay_after_the_reset_does_not_block_the_tablet_again(tablet):
    tablet_record_use(tablet=tablet, used_at=NOON, reference="ref")
    tablet_record_reset(tablet=tablet, by=make_mediator())

    tablet_record_use(tablet=tablet, used_at=NOON, reference="ref")

    tablet.refresh_from_db()
    assert not tablet.needs_reset


def test_a_reference_cannot_be_reused_on_another_tablet(tablet):
    tablet_record_use(tablet=tablet, used_at=NOON, reference="ref")

    with pytest.raises(TabletError) as excinfo:
        tablet_record_use(tablet=make_tablet(), used_at=NOON, reference="ref")

    assert excinfo.value.code == "reference_conflict"


@pytest.mark.parametrize(
    "status",
    [TabletStatus.CHARGING, TabletStatus.IN_REPAIR, TabletStatus.LOST, TabletStatus.RETIRED],
)
def test_a_tablet_out_of_service_cannot_be_used(status):
    tablet = make_tablet(status=status)

    with pytest.raises(TabletError) as excinfo:
        tablet_record_use(tablet=tablet, used_at=NOON, reference="ref")

    assert excinfo.value.code == "unavailable"
    assert tablet not in Tablet.objects.ready_for_resident()
    assert not TabletUse.objects.exists()


def test_it_refuses_a_naive_use_time(tablet):
    with pytest.raises(ValueError):
        tablet_record_use(tablet=tablet, used_at=dt.datetime(2026, 11, 20, 12), reference="r")


def test_a_reset_defaults_to_now(tablet):
    before = timezone.now()
    reset = tablet_record_reset(tablet=tablet, by=make_mediator(), note="navigateur vidé")
    assert reset.at >= before
    assert reset.note == "navigateur vidé"
