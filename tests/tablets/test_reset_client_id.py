"""A reset made offline on a mediator's tablet carries the id the tablet made: replayed, it
records nothing twice, and it clears the uses that reached the fleet before it."""

import datetime as dt
import uuid

import pytest

from tablets.errors import TabletError
from tablets.models import TabletReset, TabletUse
from tablets.services import tablet_record_reset, tablet_record_use
from tests.factories import make_mediator, make_tablet

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def ines(db):
    """Inès, the mediator who wipes the tablets in the van."""
    return make_mediator("ines")


def test_a_replayed_reset_returns_the_first_one_and_records_nothing_new(tablet, ines):
    client_id = uuid.uuid4()
    tablet_record_use(tablet=tablet, used_at=NOON, reference="jeanine")
    first = tablet_record_reset(tablet=tablet, by=ines, at=NOON, uuid=client_id)
    tablet_record_use(tablet=tablet, used_at=NOON + dt.timedelta(hours=1), reference="marcel")

    replay = tablet_record_reset(tablet=tablet, by=ines, at=NOON, uuid=str(client_id))

    assert replay.pk == first.pk
    assert first.uuid == client_id
    assert TabletReset.objects.count() == 1
    # The replay did not clear Marcel's use: the tablet still awaits its next reset.
    tablet.refresh_from_db()
    assert tablet.needs_reset
    assert TabletUse.objects.get(reference="marcel").reset is None


def test_the_same_client_id_on_another_tablet_is_refused(tablet, ines):
    client_id = uuid.uuid4()
    tablet_record_reset(tablet=tablet, by=ines, at=NOON, uuid=client_id)
    other = make_tablet()

    with pytest.raises(TabletError) as excinfo:
        tablet_record_reset(tablet=other, by=ines, at=NOON, uuid=client_id)

    assert excinfo.value.code == "reference_conflict"
    assert not TabletReset.objects.filter(tablet=other).exists()


def test_resets_made_online_need_no_client_id(tablet, ines):
    tablet_record_reset(tablet=tablet, by=ines, at=NOON)
    tablet_record_reset(tablet=tablet, by=ines, at=NOON + dt.timedelta(hours=1))

    assert TabletReset.objects.filter(tablet=tablet, uuid__isnull=True).count() == 2


def test_each_reset_clears_the_uses_recorded_before_it_in_order(tablet, ines):
    jeanine = tablet_record_use(tablet=tablet, used_at=NOON, reference="jeanine")
    first = tablet_record_reset(tablet=tablet, by=ines, at=NOON, uuid=uuid.uuid4())
    marcel = tablet_record_use(
        tablet=tablet, used_at=NOON + dt.timedelta(minutes=40), reference="marcel"
    )
    second = tablet_record_reset(
        tablet=tablet, by=ines, at=NOON + dt.timedelta(hours=1), uuid=uuid.uuid4()
    )

    jeanine.refresh_from_db()
    marcel.refresh_from_db()
    tablet.refresh_from_db()
    assert (jeanine.reset, marcel.reset) == (first, second)
    assert not tablet.needs_reset
