import pytest
from django.utils import timezone

from tablets.errors import TabletError
from tablets.models import TabletStatus, TabletStatusChange
from tablets.services import (
    ALLOWED_TRANSITIONS,
    tablet_change_status,
    tablet_record_reset,
    tablet_record_use,
)
from tests.factories import make_coordinator, make_tablet

pytestmark = pytest.mark.django_db
S = TabletStatus


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.IN_SERVICE, S.CHARGING),
        (S.CHARGING, S.IN_SERVICE),
        (S.IN_SERVICE, S.IN_REPAIR),
        (S.IN_REPAIR, S.IN_SERVICE),
        (S.IN_SERVICE, S.LOST),
        (S.IN_REPAIR, S.RETIRED),
    ],
)
def test_it_allows_the_sensible_moves_and_keeps_an_audit_trail(start, to):
    tablet = make_tablet(status=start)
    coordinator = make_coordinator()

    change = tablet_change_status(tablet=tablet, to=to, by=coordinator, note="ok")

    tablet.refresh_from_db()
    assert tablet.status == to
    assert (change.from_status, change.to_status, change.by) == (start, to, coordinator)


@pytest.mark.parametrize("to", [S.IN_SERVICE, S.CHARGING, S.IN_REPAIR, S.LOST])
def test_a_retired_tablet_is_final(to):
    tablet = make_tablet(status=S.RETIRED)

    with pytest.raises(TabletError) as excinfo:
        tablet_change_status(tablet=tablet, to=to, by=make_coordinator(), note="found")

    assert excinfo.value.code == "transition_refused"
    assert excinfo.value.reason
    tablet.refresh_from_db()
    assert tablet.status == S.RETIRED
    assert not TabletStatusChange.objects.exists()


def test_a_lost_tablet_comes_back_only_when_found_with_a_note():
    tablet = make_tablet(status=S.LOST)
    coordinator = make_coordinator()

    with pytest.raises(TabletError) as excinfo:
        tablet_change_status(tablet=tablet, to=S.IN_SERVICE, by=coordinator)
    assert excinfo.value.code == "transition_refused"

    tablet_change_status(
        tablet=tablet, to=S.IN_SERVICE, by=coordinator, note="Trouvée à la mairie de Rue"
    )
    tablet.refresh_from_db()
    assert tablet.status == S.IN_SERVICE


def test_a_lost_tablet_cannot_be_charging_without_being_checked_first():
    tablet = make_tablet(status=S.LOST)

    with pytest.raises(TabletError) as excinfo:
        tablet_change_status(tablet=tablet, to=S.CHARGING, by=make_coordinator(), note="x")

    assert excinfo.value.code == "transition_refused"


def test_a_tablet_in_repair_cannot_be_declared_lost():
    tablet = make_tablet(status=S.IN_REPAIR)

    with pytest.raises(TabletError) as excinfo:
        tablet_change_status(tablet=tablet, to=S.LOST, by=make_coordinator())

    assert excinfo.value.code == "transition_refused"


def test_an_unchanged_status_is_refused():
    tablet = make_tablet(status=S.CHARGING)

    with pytest.raises(TabletError) as excinfo:
        tablet_change_status(tablet=tablet, to=S.CHARGING, by=make_coordinator())

    assert excinfo.value.code == "transition_refused"


def test_the_graph_covers_every_status():
    assert set(ALLOWED_TRANSITIONS) == set(S.values)
    assert ALLOWED_TRANSITIONS[S.RETIRED] == frozenset()


def a_tablet_a_resident_just_used(**overrides):
    tablet = make_tablet(**overrides)
    tablet_record_use(tablet=tablet, used_at=timezone.now(), reference="jeanine-caf")
    return tablet


@pytest.mark.parametrize("start", [S.IN_SERVICE, S.CHARGING, S.IN_REPAIR])
def test_a_tablet_still_holding_a_residents_data_is_not_retired_before_its_reset(start):
    """Retired, it leaves the alerts and maybe the office (sold, recycled): Jeanine's CAF
    session must not leave with it. Once reset, it may be retired."""
    tablet = a_tablet_a_resident_just_used()
    claire = make_coordinator()
    if start != S.IN_SERVICE:
        tablet_change_status(tablet=tablet, to=start, by=claire)

    with pytest.raises(TabletError) as excinfo:
        tablet_change_status(tablet=tablet, to=S.RETIRED, by=claire, note="écran cassé")

    assert excinfo.value.code == "transition_refused"
    tablet.refresh_from_db()
    assert tablet.status == start
    tablet_record_reset(tablet=tablet, by=claire, factory_reset=True)
    tablet_change_status(tablet=tablet, to=S.RETIRED, by=claire, note="écran cassé")
    tablet.refresh_from_db()
    assert tablet.status == S.RETIRED


def test_a_lost_tablet_awaiting_its_reset_may_still_be_retired():
    """Nobody can wipe a tablet that is lost: retiring it is all that is left to do."""
    tablet = a_tablet_a_resident_just_used()
    claire = make_coordinator()
    tablet_change_status(tablet=tablet, to=S.LOST, by=claire)

    tablet_change_status(tablet=tablet, to=S.RETIRED, by=claire, note="jamais retrouvée")

    tablet.refresh_from_db()
    assert tablet.status == S.RETIRED
