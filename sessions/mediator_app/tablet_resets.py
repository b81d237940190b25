"""Lending-tablet resets recorded on a mediator's tablet, offline too, and brought back in the
same batches as attendance, in the order they were made.

A reset clears the uses the fleet holds for its tablet, so it is applied at its place in the
batch: the use of a resident recorded before it (earlier in the batch, or in an earlier batch)
is cleared by it; a use recorded after it awaits the next reset. Its UUID, made on the tablet,
makes a replayed batch change nothing.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from sessions.mediator_app.records import RecordRefused, _int, _uuid, recorded_at_of
from tablets.errors import TabletError
from tablets.models import Tablet, TabletReset, TabletStatus
from tablets.services import tablet_record_reset

KIND = "tablet_reset"


@dataclass(frozen=True)
class ResetRecord:
    uuid: uuid.UUID
    recorded_at: dt.datetime
    tablet_id: int
    factory_reset: bool = False


def reset_parse(raw: dict, *, now: dt.datetime | None = None) -> ResetRecord:
    """Check a reset's shape; raise RecordRefused with the reason if it is wrong."""
    record_uuid = _uuid(raw.get("uuid"), "invalid_uuid")
    recorded_at = recorded_at_of(raw, now=now)
    factory_reset = raw.get("factory_reset", False)
    if not isinstance(factory_reset, bool):
        raise RecordRefused("invalid_factory_reset")
    return ResetRecord(
        uuid=record_uuid,
        recorded_at=recorded_at,
        tablet_id=_int(raw.get("tablet"), "invalid_tablet", minimum=1),
        factory_reset=factory_reset,
    )


def reset_held(record_uuid: uuid.UUID) -> bool:
    return TabletReset.objects.filter(uuid=record_uuid).exists()


def reset_apply(*, record: ResetRecord, user) -> bool:
    """Record the reset through the fleet; False when it is already held (a replay)."""
    # The tablet is locked before the look-up: a copy of the same batch sent at the same
    # moment waits here, then finds the reset held and answers "duplicate".
    tablet = Tablet.objects.select_for_update().filter(pk=record.tablet_id).first()
    if reset_held(record.uuid):
        return False
    if tablet is None:
        raise RecordRefused("unknown_tablet")
    if tablet.status != TabletStatus.IN_SERVICE:
        # Charging, in repair, lost or retired: not a lending tablet in the van.
        raise RecordRefused("unavailable")
    try:
        tablet_record_reset(
            tablet=tablet,
            by=user,
            at=record.recorded_at,
            factory_reset=record.factory_reset,
            uuid=record.uuid,
        )
    except TabletError as error:
        raise RecordRefused(error.code) from error
    return True
