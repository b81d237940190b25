"""Attendance recorded offline on the mediators' tablets, brought back in batches.

The protocol and the conflict rule are written up in docs/offline-sync.md; in short:
every record carries a UUID made on the tablet and the time it was made there; a UUID the
server already holds is a duplicate and changes nothing; for one registration the record
made last on a tablet is in force and every other one is kept in AttendanceVersion.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.errors import DomainError
from mediation.models import Stop
from sessions.mediator_app import individual_helps, tablet_resets
from sessions.mediator_app.records import (
    RecordRefused,
    readable_ids,
    record_parse,
    recorded_at_of,
)
from sessions.mediator_app.sync_batch import Batch, attendance_as_history, known_uuids
from sessions.refusals import Refusal, refusals_record, refusals_resolve, walk_in_name

__all__ = ["SyncError", "attendance_as_history", "attendance_sync_batch"]

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
REFUSED = "refused"
# What an accepted record became: the version in force, or history straight away.
IN_FORCE = "in_force"
OUTDATED = "outdated"

MAX_BATCH_SIZE = 1000


class SyncError(DomainError):
    """The batch as a whole cannot be read; nothing in it was looked at."""


@dataclass(frozen=True)
class RecordAnswer:
    uuid: str | None
    status: str
    reason: str = ""
    # For an accepted record: IN_FORCE, or OUTDATED when a later record was already in force.
    result: str = ""
    registration: str = ""
    # For an accepted record whose lending tablet the fleet refused: why (a refusal code).
    tablet_refused: str = ""

    def as_dict(self) -> dict:
        # By hand, not dataclasses.asdict (which deep-copies every value): 1,000 answers a batch.
        answer = {"uuid": self.uuid, "status": self.status}
        for key in ("reason", "result", "registration", "tablet_refused"):
            if value := getattr(self, key):
                answer[key] = value
        return answer


# --- Who may see and write what ------------------------------------------------------------


def _help_answer(raw: dict, raw_uuid: str | None, *, user, now) -> RecordAnswer:
    try:
        record = individual_helps.help_parse(raw, now=now)
        with transaction.atomic():
            written = individual_helps.help_apply(
                record=record,
                user=user,
                visible_stops=Stop.objects.whose_people_are_visible_to(user),
            )
    except RecordRefused as refusal:
        return RecordAnswer(raw_uuid, REFUSED, refusal.code)
    except IntegrityError:
        # The same help from another request, written between our check and our insert.
        return RecordAnswer(raw_uuid, DUPLICATE)
    return RecordAnswer(raw_uuid, ACCEPTED if written else DUPLICATE)


def _reset_answer(record, seen: set, *, user) -> RecordAnswer:
    if record.uuid in seen:
        return RecordAnswer(str(record.uuid), DUPLICATE)
    seen.add(record.uuid)
    try:
        with transaction.atomic():
            written = tablet_resets.reset_apply(record=record, user=user)
    except RecordRefused as refusal:
        return RecordAnswer(str(record.uuid), REFUSED, refusal.code)
    return RecordAnswer(str(record.uuid), ACCEPTED if written else DUPLICATE)


def _parse(records: list, now: dt.datetime, *, user) -> tuple[list, list, list, list]:
    """Answers for the records that do not read (and for individual helps, applied one by
    one: a mediator records a few a day), (position, record) for the attendance records,
    (position, record) for the tablet resets, applied later at their place in the batch, and
    the attendance records refused as they were read (for the coordination)."""
    answers: list = [None] * len(records)
    parsed, resets, refused = [], [], []
    for position, raw in enumerate(records):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        try:
            if kind == individual_helps.KIND:
                answers[position] = _help_answer(raw, _raw_uuid(raw), user=user, now=now).as_dict()
            elif kind == tablet_resets.KIND:
                resets.append((position, tablet_resets.reset_parse(raw, now=now)))
            else:
                parsed.append((position, record_parse(raw, now=now)))
        except RecordRefused as refusal:
            answers[position] = RecordAnswer(_raw_uuid(raw), REFUSED, refusal.code).as_dict()
            if kind not in (individual_helps.KIND, tablet_resets.KIND):
                refused.append(_raw_refusal(raw, refusal.code))
    return answers, parsed, resets, [refusal for refusal in refused if refusal]


def _raw_refusal(raw, code: str) -> Refusal | None:
    """What can be read of a record refused as it was read: none without a UUID (nothing to
    count its sends by). The other fields only when they read; never the note nor a phone."""
    record_uuid, registration_uuid, workshop = readable_ids(raw)
    if record_uuid is None:
        return None
    present = raw.get("present")
    walk_in = raw.get("walk_in")
    first_name = walk_in.get("first_name") if isinstance(walk_in, dict) else None
    try:
        recorded_at = recorded_at_of(raw, oldest=False)
        # A broken clock's year 1 would not even convert to UTC: kept as unknown.
        recorded_at.astimezone(dt.UTC)
    except (RecordRefused, OverflowError):
        recorded_at = None
    return Refusal(
        uuid=record_uuid,
        reason=code,
        registration_uuid=registration_uuid,
        workshop_id=workshop,
        present=present if isinstance(present, bool) else None,
        recorded_at=recorded_at,
        walk_in_name=walk_in_name(first_name.replace("\x00", ""))
        if isinstance(first_name, str)
        else "",
    )


def _refusal(record, code: str) -> Refusal:
    return Refusal(
        uuid=record.uuid,
        reason=code,
        registration_uuid=record.registration_uuid,
        workshop_id=record.workshop_id,
        present=record.present,
        recorded_at=record.recorded_at,
        walk_in_name=walk_in_name(record.walk_in.first_name) if record.walk_in else "",
    )


def _raw_uuid(raw) -> str | None:
    value = raw.get("uuid") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _duplicates(parsed: list, answers: list, held: set) -> list:
    """Answer the records already held (or repeated in the batch); return the others."""
    fresh, seen = [], set()
    for position, record in parsed:
        if record.uuid in held or record.uuid in seen:
            answers[position] = RecordAnswer(
                str(record.uuid), DUPLICATE, registration=str(record.registration_uuid)
            ).as_dict()
        else:
            seen.add(record.uuid)
            fresh.append((position, record))
    return fresh


def _apply(*, user, records: list, now: dt.datetime) -> tuple[list[dict], list, list]:
    """The answers, the attendance records refused (Refusal) and those accepted (their
    UUID and their registration's)."""
    answers, parsed, resets, refused = _parse(records, now, user=user)
    accepted: list = []
    # Duplicates first, in two queries: a replayed batch is answered without reading more.
    fresh = _duplicates(parsed, answers, known_uuids(record.uuid for _, record in parsed))
    if not fresh and not resets:
        return answers, refused, accepted
    batch = Batch(user=user, now=now)
    if fresh:
        batch.read([record for _, record in fresh])
        # The registrations are locked now: a copy of this batch applied meanwhile by another
        # request has committed, and its records are duplicates.
        fresh = _duplicates(fresh, answers, known_uuids(record.uuid for _, record in fresh))
    # Attendance and resets in batch order: a lending tablet's use reaches the fleet (through
    # batch.apply) before the reset made after it, which then clears it.
    steps = sorted(
        [(p, r, False) for p, r in fresh] + [(p, r, True) for p, r in resets],
        key=lambda step: step[0],
    )
    seen_resets: set = set()
    for position, record, is_reset in steps:
        if is_reset:
            answers[position] = _reset_answer(record, seen_resets, user=user).as_dict()
            continue
        try:
            result, tablet_refused = batch.apply(record)
        except RecordRefused as refusal:
            answers[position] = RecordAnswer(str(record.uuid), REFUSED, refusal.code).as_dict()
            refused.append(_refusal(record, refusal.code))
            continue
        accepted.append((record.uuid, record.registration_uuid))
        answers[position] = RecordAnswer(
            str(record.uuid),
            ACCEPTED,
            result=result,
            registration=str(record.registration_uuid),
            tablet_refused=tablet_refused,
        ).as_dict()
    batch.write()
    return answers, refused, accepted


def _keep_for_the_coordination(*, user, refused: list, accepted: list, now) -> None:
    """The refusals where the coordinators see them, and those since put right marked so:
    a statement each, whatever the batch's size (sessions/refusals.py)."""
    refusals_record(refusals=refused, user=user, now=now)
    refusals_resolve(accepted=accepted, now=now)


@transaction.atomic
def attendance_sync_batch(*, user, records: list, now: dt.datetime | None = None) -> list[dict]:
    """Apply a batch of attendance records from a tablet; one answer per record, in order.

    A refused record leaves the others intact. Replaying a batch changes nothing: every UUID
    already held is answered "duplicate". The reads and writes are set-based
    (sessions.mediator_app.sync_batch): a batch costs the same queries for one record as
    for a thousand, plus one service call per lending tablet used. Raises SyncError when the
    batch itself is not a list or is too long.
    """
    if not isinstance(records, list):
        raise SyncError("records_not_a_list", _("“records” must be a list."))
    if len(records) > MAX_BATCH_SIZE:
        raise SyncError(
            "batch_too_large",
            _("At most %(count)d records per batch.") % {"count": MAX_BATCH_SIZE},
        )
    now = now or timezone.now()
    try:
        with transaction.atomic():
            answers, refused, accepted = _apply(user=user, records=records, now=now)
    except IntegrityError:
        # Another request wrote a walk-in or a record of this batch between our check and
        # our insert; applied again, they are duplicates now.
        answers, refused, accepted = _apply(user=user, records=records, now=now)
    _keep_for_the_coordination(user=user, refused=refused, accepted=accepted, now=now)
    return answers
