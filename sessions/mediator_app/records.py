"""Reading the records a tablet sends: their shape is checked before the database is.

A record that is wrong raises RecordRefused with the reason sent back to the tablet;
mediator_app.sync then applies the records that read well.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mediation.errors import DomainError
from sessions.contacts import normalise_phone
from sessions.models import AgeBracket, Autonomy, Equipment, Gender, Redirection, Situation

# A tablet whose clock runs far ahead would win every conflict for ever: refuse its records.
CLOCK_TOLERANCE = dt.timedelta(hours=1)
# Nothing a tablet kept offline is older than this; a date like year 1 is a broken clock, and
# would break every page that shows it.
OLDEST_RECORD = dt.timedelta(days=365)
MAX_NOTE_LENGTH = 1000
MAX_MINUTES = 600


class RecordRefused(DomainError):
    """One record cannot be applied; `code` is the reason sent back to the tablet."""


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
    gender: str = Gender.NOT_SAID
    # A walk-in added by mistake, taken off the roster: absent, and the walk-in cancelled.
    withdrawn: bool = False

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
            "gender": self.gender,
        }


# --- Reading a record ----------------------------------------------------------------------


def recorded_at_of(raw: dict, *, now: dt.datetime | None = None, oldest: bool = True):
    """The tablet's clock when the record was made: aware, not in the future (beyond the
    clocks' tolerance) and, when `oldest`, not older than OLDEST_RECORD; else RecordRefused."""
    try:
        recorded_at = parse_datetime(raw.get("recorded_at") or "")
    except (TypeError, ValueError):  # not a string, or a date that does not exist
        recorded_at = None
    if recorded_at is None or timezone.is_naive(recorded_at):
        raise RecordRefused("invalid_recorded_at")
    now = now or timezone.now()
    if oldest:
        try:
            too_old = recorded_at < now - OLDEST_RECORD
        except OverflowError:  # an offset that pushes the date out of range
            raise RecordRefused("invalid_recorded_at") from None
        if too_old:
            raise RecordRefused("recorded_at_too_old")
    if recorded_at > now + CLOCK_TOLERANCE:
        raise RecordRefused("recorded_at_in_future")
    return recorded_at


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


def readable_ids(raw) -> tuple[uuid.UUID | None, uuid.UUID | None, int | None]:
    """The record's UUID, its registration's and its workshop's id, each read as
    record_parse reads it, or None where it does not read (a record refused as it was read)."""

    def read(reader, *args, **kwargs):
        try:
            return reader(*args, **kwargs)
        except RecordRefused:
            return None

    if not isinstance(raw, dict):
        return None, None, None
    return (
        read(_uuid, raw.get("uuid"), "invalid_uuid"),
        read(_uuid, raw.get("registration"), "invalid_registration"),
        read(_int, raw.get("workshop"), "invalid_workshop", minimum=1),
    )


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
    recorded_at = recorded_at_of(raw, now=now)
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
    withdrawn = raw.get("withdrawn", False)
    if not isinstance(withdrawn, bool) or (withdrawn and present):
        raise RecordRefused("invalid_withdrawn")

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
        gender=_choice(raw, "gender", Gender) or Gender.NOT_SAID,
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
            withdrawn=withdrawn,
        )
    return record
