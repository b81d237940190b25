"""Attendance recorded offline on the mediators' tablets, brought back in batches.

The protocol and the conflict rule are written up in docs/offline-sync.md; in short:
every record carries a UUID made on the tablet and the time it was made there; a UUID the
server already holds is a duplicate and changes nothing; for one registration the record
made last on a tablet is in force and every other one is kept in AttendanceVersion.
"""

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mediation.models import Commune, ModuleOutcome, Stop
from mediation.roles import is_coordinator, is_mediator
from sessions.contacts import normalise_phone
from sessions.models import (
    AgeBracket,
    Attendance,
    AttendanceVersion,
    Autonomy,
    Equipment,
    Redirection,
    Registration,
    RegistrationChannel,
    RegistrationStatus,
    Situation,
    Workshop,
)
from tablets.models import Tablet
from tablets.services import TabletError, tablet_record_use

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
REFUSED = "refused"
# What an accepted record became: the version in force, or history straight away.
IN_FORCE = "in_force"
OUTDATED = "outdated"

MAX_BATCH_SIZE = 500
# A tablet whose clock runs far ahead would win every conflict for ever: refuse its records.
CLOCK_TOLERANCE = dt.timedelta(hours=1)
# Nothing a tablet kept offline is older than this; a date like year 1 is a broken clock, and
# would break every page that shows it.
OLDEST_RECORD = dt.timedelta(days=365)
MAX_NOTE_LENGTH = 1000
MAX_MINUTES = 600


class SyncError(Exception):
    """The batch as a whole cannot be read; nothing in it was looked at."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class RecordRefused(Exception):
    """One record cannot be applied; `code` is the reason sent back to the tablet."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RecordAnswer:
    uuid: str | None
    status: str
    reason: str = ""
    # For an accepted record: IN_FORCE, or OUTDATED when a later record was already in force.
    result: str = ""
    registration: str = ""

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in ("", None)} | {
            "uuid": self.uuid
        }


@dataclass(frozen=True)
class WalkIn:
    first_name: str
    commune_code: str
    phone: str = ""


@dataclass(frozen=True)
class AttendanceRecord:
    """A record as the tablet sent it, checked for shape but not yet against the database."""

    uuid: uuid.UUID
    recorded_at: dt.datetime
    workshop_id: int
    registration_uuid: uuid.UUID
    present: bool
    walk_in: WalkIn | None = None
    outcome_ids: tuple[int, ...] = ()
    tablet_id: int | None = None
    minutes_spent: int | None = None
    note: str = ""
    autonomy: str = ""
    equipment: str = ""
    redirection: str = ""
    first_visit: bool | None = None
    age_bracket: str = ""
    situation: str = ""

    def as_history(self) -> dict:
        """The record's fields as kept in AttendanceVersion.data."""
        return {
            "present": self.present,
            "outcomes": list(self.outcome_ids),
            "lending_tablet": self.tablet_id,
            "minutes_spent": self.minutes_spent,
            "note": self.note,
            "autonomy": self.autonomy,
            "equipment": self.equipment,
            "redirection": self.redirection,
            "first_visit": self.first_visit,
            "age_bracket": self.age_bracket,
            "situation": self.situation,
        }


def attendance_as_history(attendance: Attendance) -> dict:
    return {
        "present": attendance.present,
        "outcomes": sorted(outcome.pk for outcome in attendance.outcomes.all()),
        "lending_tablet": attendance.lending_tablet_id,
        "minutes_spent": attendance.minutes_spent,
        "note": attendance.note,
        "autonomy": attendance.autonomy,
        "equipment": attendance.equipment,
        "redirection": attendance.redirection,
        "first_visit": attendance.first_visit,
        "age_bracket": attendance.age_bracket,
        "situation": attendance.situation,
    }


# --- Who may see and write what ------------------------------------------------------------


def may_record_for(user, workshop: Workshop) -> bool:
    if is_coordinator(user):
        return True
    return is_mediator(user) and workshop.stop.mediators.filter(pk=user.pk).exists()


# --- Reading a record ----------------------------------------------------------------------


def _uuid(value, code: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise RecordRefused(code)
    try:
        return uuid.UUID(value)
    except ValueError:
        raise RecordRefused(code) from None


def _text(raw: dict, key: str, max_length: int, code: str = "invalid_field") -> str:
    value = raw.get(key) or ""
    # PostgreSQL cannot store a NUL character: refuse it rather than fail the batch.
    if not isinstance(value, str) or len(value) > max_length or "\x00" in value:
        raise RecordRefused(code)
    return value.strip()


def _choice(raw: dict, key: str, choices) -> str:
    value = raw.get(key) or ""
    if value and value not in choices.values:
        raise RecordRefused(f"invalid_{key}")
    return value


# The largest id a database row can have (64-bit keys); larger numbers would overflow.
MAX_ID = 2**63 - 1


def _int(value, code: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    # bool is an int in Python; a tablet sending true for an id is a bug, not an id.
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordRefused(code)
    if value < minimum or value > maximum:
        raise RecordRefused(code)
    return value


def _walk_in_phone(data: dict) -> str:
    """The phone normalised as the sign-up form does; "pas de tel" is refused, not stored."""
    try:
        return normalise_phone(_text(data, "phone", 30, "invalid_walk_in_phone"))
    except ValidationError:
        raise RecordRefused("invalid_walk_in_phone") from None


def record_parse(raw, *, now: dt.datetime | None = None) -> AttendanceRecord:
    """Check one record's shape; raise RecordRefused with the reason if it is wrong."""
    if not isinstance(raw, dict):
        raise RecordRefused("not_an_object")
    record_uuid = _uuid(raw.get("uuid"), "invalid_uuid")
    try:
        recorded_at = parse_datetime(raw.get("recorded_at") or "")
    except (TypeError, ValueError):  # not a string, or a date that does not exist
        recorded_at = None
    if recorded_at is None or timezone.is_naive(recorded_at):
        raise RecordRefused("invalid_recorded_at")
    now = now or timezone.now()
    try:
        too_old = recorded_at < now - OLDEST_RECORD
    except OverflowError:  # an offset that pushes the date out of range
        raise RecordRefused("invalid_recorded_at") from None
    if too_old:
        raise RecordRefused("recorded_at_too_old")
    if recorded_at > now + CLOCK_TOLERANCE:
        raise RecordRefused("recorded_at_in_future")
    workshop_id = _int(raw.get("workshop"), "invalid_workshop", minimum=1)
    registration_uuid = _uuid(raw.get("registration"), "invalid_registration")
    present = raw.get("present")
    if not isinstance(present, bool):
        raise RecordRefused("invalid_present")

    walk_in = None
    if raw.get("walk_in") is not None:
        data = raw["walk_in"]
        if not isinstance(data, dict):
            raise RecordRefused("invalid_walk_in")
        first_name = _text(data, "first_name", 100, "invalid_walk_in")
        commune_code = _text(data, "commune", 5, "invalid_walk_in")
        if not first_name or not commune_code:
            raise RecordRefused("invalid_walk_in")
        walk_in = WalkIn(first_name, commune_code, _walk_in_phone(data))

    outcomes = raw.get("outcomes") or []
    if not isinstance(outcomes, list):
        raise RecordRefused("invalid_outcomes")
    outcome_ids = tuple(sorted({_int(o, "invalid_outcomes", minimum=1) for o in outcomes}))
    tablet_id = raw.get("tablet")
    if tablet_id is not None:
        tablet_id = _int(tablet_id, "invalid_tablet", minimum=1)
    minutes = raw.get("minutes_spent")
    if minutes is not None:
        minutes = _int(minutes, "invalid_minutes_spent", maximum=MAX_MINUTES)
    first_visit = raw.get("first_visit")
    if first_visit is not None and not isinstance(first_visit, bool):
        raise RecordRefused("invalid_first_visit")

    record = AttendanceRecord(
        uuid=record_uuid,
        recorded_at=recorded_at,
        workshop_id=workshop_id,
        registration_uuid=registration_uuid,
        present=present,
        walk_in=walk_in,
        outcome_ids=outcome_ids,
        tablet_id=tablet_id,
        minutes_spent=minutes,
        note=_text(raw, "note", MAX_NOTE_LENGTH, "invalid_note"),
        autonomy=_choice(raw, "autonomy", Autonomy),
        equipment=_choice(raw, "equipment", Equipment),
        redirection=_choice(raw, "redirection", Redirection),
        first_visit=first_visit,
        age_bracket=_choice(raw, "age_bracket", AgeBracket),
        situation=_choice(raw, "situation", Situation),
    )
    if not present:
        # Nothing was reached by someone who did not come: keep only the note.
        record = AttendanceRecord(
            **{
                name: getattr(record, name)
                for name in ("uuid", "recorded_at", "workshop_id", "registration_uuid")
            },
            present=False,
            walk_in=record.walk_in,
            note=record.note,
        )
    return record


# --- Applying records ----------------------------------------------------------------------


def _uuid_known(record_uuid: uuid.UUID) -> bool:
    return (
        Attendance.objects.filter(uuid=record_uuid).exists()
        or AttendanceVersion.objects.filter(uuid=record_uuid).exists()
    )


def _walk_in_create(*, record: AttendanceRecord, workshop: Workshop, user) -> Registration:
    commune = Commune.objects.filter(insee_code=record.walk_in.commune_code).first()
    if commune is None:
        raise RecordRefused("unknown_commune")
    # A walk-in sits in the room after sign-ups have closed: it takes no advance seat, so
    # the seat counter (which guards advance sign-ups) is left alone.
    return Registration.objects.create(
        uuid=record.registration_uuid,
        workshop=workshop,
        first_name=record.walk_in.first_name,
        phone=record.walk_in.phone,
        home_commune=commune,
        status=RegistrationStatus.CONFIRMED,
        channel=RegistrationChannel.WALK_IN,
        created_by=user,
    )


def _tablet_use_record(*, tablet: Tablet, record: AttendanceRecord, stop: Stop) -> None:
    """Tell the fleet a resident used this tablet; refuse the record if it may not be lent."""
    try:
        tablet_record_use(
            tablet=tablet, used_at=record.recorded_at, reference=str(record.uuid), stop=stop
        )
    except TabletError as error:
        # "reset_pending" (the last resident's data may still be on it) or "unavailable".
        raise RecordRefused(error.code) from error


def _apply_fields(attendance: Attendance, record: AttendanceRecord, tablet, user) -> None:
    attendance.uuid = record.uuid
    attendance.present = record.present
    attendance.lending_tablet = tablet
    attendance.minutes_spent = record.minutes_spent
    attendance.note = record.note
    attendance.autonomy = record.autonomy
    attendance.equipment = record.equipment
    attendance.redirection = record.redirection
    attendance.first_visit = record.first_visit
    attendance.age_bracket = record.age_bracket
    attendance.situation = record.situation
    attendance.recorded_at = record.recorded_at
    attendance.recorded_by = user


def _wins_over(record: AttendanceRecord, current: Attendance) -> bool:
    """The conflict rule: the later tablet time wins; on a tie, the greater UUID."""
    return (record.recorded_at, str(record.uuid)) > (current.recorded_at, str(current.uuid))


def _record_apply(*, record: AttendanceRecord, user) -> RecordAnswer:
    def answer(status: str, **kwargs) -> RecordAnswer:
        return RecordAnswer(
            str(record.uuid), status, registration=str(record.registration_uuid), **kwargs
        )

    workshop = Workshop.objects.select_related("stop").filter(pk=record.workshop_id).first()
    if workshop is None:
        raise RecordRefused("unknown_workshop")
    if not may_record_for(user, workshop):
        raise RecordRefused("forbidden")

    # Locking the registration queues two batches writing about the same person; the
    # duplicate check comes after it, so a batch replayed concurrently sees the first one.
    registration = (
        Registration.objects.select_for_update().filter(uuid=record.registration_uuid).first()
    )
    if _uuid_known(record.uuid):
        return answer(DUPLICATE)
    if registration is None:
        if record.walk_in is None:
            raise RecordRefused("unknown_registration")
        registration = _walk_in_create(record=record, workshop=workshop, user=user)
    elif registration.workshop_id != workshop.pk:
        raise RecordRefused("registration_not_in_workshop")

    outcomes = list(
        ModuleOutcome.objects.filter(module_id=workshop.module_id, pk__in=record.outcome_ids)
    )
    if len(outcomes) != len(record.outcome_ids):
        raise RecordRefused("unknown_outcome")
    tablet = None
    if record.tablet_id is not None:
        tablet = Tablet.objects.filter(pk=record.tablet_id).first()
        if tablet is None:
            raise RecordRefused("unknown_tablet")

    current = Attendance.objects.filter(registration=registration).first()
    if current is not None and not _wins_over(record, current):
        AttendanceVersion.objects.create(
            uuid=record.uuid,
            attendance=current,
            fate=AttendanceVersion.Fate.OUTDATED,
            data=record.as_history(),
            recorded_at=record.recorded_at,
            recorded_by=user,
        )
        return answer(ACCEPTED, result=OUTDATED)

    if tablet is not None and (current is None or current.lending_tablet_id != tablet.pk):
        _tablet_use_record(tablet=tablet, record=record, stop=workshop.stop)
    if current is None:
        attendance = Attendance(registration=registration)
    else:
        AttendanceVersion.objects.create(
            uuid=current.uuid,
            attendance=current,
            fate=AttendanceVersion.Fate.REPLACED,
            data=attendance_as_history(current),
            recorded_at=current.recorded_at,
            recorded_by=current.recorded_by,
        )
        attendance = current
    _apply_fields(attendance, record, tablet, user)
    attendance.save()
    attendance.outcomes.set(outcomes)
    return answer(ACCEPTED, result=IN_FORCE)


@transaction.atomic
def attendance_sync_batch(*, user, records: list, now: dt.datetime | None = None) -> list[dict]:
    """Apply a batch of attendance records from a tablet; one answer per record, in order.

    Each record is applied in its own savepoint, so a refused one leaves the others intact.
    Replaying a batch changes nothing: every UUID already held is answered "duplicate".
    Raises SyncError when the batch itself is not a list or is too long.
    """
    if not isinstance(records, list):
        raise SyncError("records_not_a_list", "“records” must be a list.")
    if len(records) > MAX_BATCH_SIZE:
        raise SyncError("batch_too_large", f"At most {MAX_BATCH_SIZE} records per batch.")
    now = now or timezone.now()
    answers = []
    for raw in records:
        raw_uuid = raw.get("uuid") if isinstance(raw, dict) else None
        raw_uuid = raw_uuid if isinstance(raw_uuid, str) else None
        try:
            record = record_parse(raw, now=now)
        except RecordRefused as refusal:
            answers.append(RecordAnswer(raw_uuid, REFUSED, refusal.code).as_dict())
            continue
        try:
            with transaction.atomic():
                answer = _record_apply(record=record, user=user)
        except RecordRefused as refusal:
            answer = RecordAnswer(raw_uuid, REFUSED, refusal.code)
        except IntegrityError:
            # Another request wrote the same record between our check and our insert.
            if _uuid_known(record.uuid):
                answer = RecordAnswer(raw_uuid, DUPLICATE)
            else:
                answer = RecordAnswer(raw_uuid, REFUSED, "conflict")
        answers.append(answer.as_dict())
    return answers
