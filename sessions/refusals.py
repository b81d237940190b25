"""Records the server refused, kept for the coordinators: written by the sync, set-based.

`refusals_record` writes a batch's refusals in one statement (an upsert on the record's
UUID: sent again, a refusal counts one more send, never one more row); `refusals_resolve`
marks "accepted later", in one UPDATE, the refusals that a batch has since put right (the
same UUID accepted, or a record for the same registration made at the same time or later);
`refused_record_dismiss` is the coordinator's "Marquer comme traité", `refused_record_reopen`
its undoing;
`refused_records_purge` deletes them after REFUSED_RECORD_DAYS. See docs/offline-sync.md.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mediation.errors import DomainError
from sessions.models import Attendance, Registration, Workshop
from sessions.sync_models import WALK_IN_NAME_LENGTH, RefusedRecord

REFUSED_RECORD_DAYS = 30


@dataclass(frozen=True)
class Refusal:
    """What is kept of a refused record: enough to find the person and act, no note nor phone."""

    uuid: uuid.UUID
    reason: str
    registration_uuid: uuid.UUID | None = None
    workshop_id: int | None = None
    present: bool | None = None
    recorded_at: dt.datetime | None = None
    walk_in_name: str = ""


def walk_in_name(first_name: str) -> str:
    return first_name.strip()[:WALK_IN_NAME_LENGTH]


# The columns given by the batch, in the order of each VALUES row.
_VALUES = (
    "uuid",
    "mediator",
    "registration_uuid",
    "workshop",
    "walk_in_name",
    "reason",
    "present",
    "recorded_at",
    "last_refused_at",
)


def refusals_record(*, refusals: list[Refusal], user, now: dt.datetime) -> None:
    """Keep a batch's refusals: one INSERT … ON CONFLICT whatever their number.

    Django's bulk_create(update_conflicts=True) can only set a column to the value inserted,
    not add one to it, so the statement is written here: on a UUID already held, `times`
    grows by one, `last_refused_at` and `reason` take the new values; a row already dealt
    with stays dealt with. The registration and the workshop are looked up by the statement
    itself (LEFT JOINs): a record refused because they no longer exist keeps NULL. One row
    per UUID: a UUID twice in a batch counts once.
    """
    if not refusals:
        return
    by_uuid = {refusal.uuid: refusal for refusal in refusals}
    opts = RefusedRecord._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = [opts.get_field(name) for name in _VALUES]
    if connection.vendor == "postgresql":
        # Typed, so that a column of NULLs is not taken for text.
        cell = [f"CAST(%s AS {column.cast_db_type(connection)})" for column in columns]
    else:
        cell = ["%s"] * len(columns)
    row = "(" + ", ".join(cell) + ")"
    params = []
    for refusal in by_uuid.values():
        values = (
            refusal.uuid,
            user.pk,
            refusal.registration_uuid,
            refusal.workshop_id,
            refusal.walk_in_name,
            refusal.reason,
            refusal.present,
            refusal.recorded_at,
            now,
        )
        params += [
            column.get_db_prep_save(value, connection)
            for column, value in zip(columns, values, strict=True)
        ]
    registrations = quote(Registration._meta.db_table)
    workshops = quote(Workshop._meta.db_table)
    v = [f"v.column{position + 1}" for position in range(len(columns))]
    names = ", ".join(
        quote(opts.get_field(name).column)
        for name in (
            *_VALUES,
            "registration",
            "first_refused_at",
            "times",
            "resolution",
        )
    )
    sql = (
        f"INSERT INTO {table} ({names}) "  # noqa: S608 - names quoted, values bound
        f"SELECT v.column1, v.column2, v.column3, w.id, {', '.join(v[4:])}, r.id, v.column9, "
        f"1, '' FROM (VALUES {', '.join([row] * len(by_uuid))}) AS v "
        f"LEFT JOIN {registrations} r ON r.uuid = v.column3 "
        f"LEFT JOIN {workshops} w ON w.id = v.column4 "
        # SQLite reads "ON CONFLICT" after a bare SELECT … FROM as a join's: WHERE ends it.
        "WHERE 1 = 1 "
        f"ON CONFLICT ({quote('uuid')}) DO UPDATE SET "
        f"{quote('times')} = {table}.{quote('times')} + 1, "
        f"{quote('last_refused_at')} = excluded.{quote('last_refused_at')}, "
        f"{quote('reason')} = excluded.{quote('reason')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refusals_resolve(*, accepted: list[tuple[uuid.UUID, uuid.UUID]], now: dt.datetime) -> int:
    """Mark "accepted later" the open refusals a batch put right, in one UPDATE.

    `accepted`: (record UUID, registration UUID) of the attendance records accepted. A refusal
    is put right when its own UUID was accepted (sent again once the coordination fixed the
    cause), or when the registration's attendance in force was recorded at the same time or
    after it (the mediator recorded the person again).
    """
    if not accepted:
        return 0
    record_uuids = [record for record, _ in accepted]
    registration_uuids = list({registration for _, registration in accepted})
    newer = Attendance.objects.filter(
        registration__uuid=OuterRef("registration_uuid"),
        recorded_at__gte=OuterRef("recorded_at"),
    )
    return (
        RefusedRecord.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(uuid__in_array=record_uuids)
            | Q(Exists(newer), registration_uuid__in_array=registration_uuids)
        )
        .update(resolved_at=now, resolution=RefusedRecord.Resolution.ACCEPTED_LATER)
    )


class RefusalError(DomainError):
    """A refused record cannot be marked as dealt with, or reopened."""


def _locked_refusal(record_id: int) -> RefusedRecord:
    record = RefusedRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise RefusalError("unknown_refusal")
    return record


@transaction.atomic
def refused_record_dismiss(*, record_id: int, by) -> RefusedRecord:
    """The coordinator's "Marquer comme traité": who and when stay on the row (its trail)."""
    record = _locked_refusal(record_id)
    if record.resolved_at is not None:
        raise RefusalError("already_dealt_with")
    record.resolved_at = timezone.now()
    record.resolved_by = by
    record.resolution = RefusedRecord.Resolution.DISMISSED
    record.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return record


@transaction.atomic
def refused_record_reopen(*, record_id: int) -> RefusedRecord:
    """Undo a "Marquer comme traité" pressed too soon: the row is to deal with again.

    Raises RefusalError `unknown_refusal`, `not_dealt_with` (open already), or
    `accepted_later`: what the server has since accepted is counted, not reopened.
    """
    record = _locked_refusal(record_id)
    if record.resolved_at is None:
        raise RefusalError("not_dealt_with")
    if record.resolution == RefusedRecord.Resolution.ACCEPTED_LATER:
        raise RefusalError("accepted_later")
    record.resolved_at = None
    record.resolved_by = None
    record.resolution = ""
    record.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return record


def refused_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the refusals last sent more than REFUSED_RECORD_DAYS ago, dealt with or not."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=REFUSED_RECORD_DAYS)
    deleted, _ = RefusedRecord.objects.filter(last_refused_at__lt=limit).delete()
    return deleted


def open_refusals_count() -> int:
    return RefusedRecord.objects.filter(resolved_at__isnull=True).count()
