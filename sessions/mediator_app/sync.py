"""Attendance recorded offline on the mediators' tablets, brought back in batches.

The protocol and the conflict rule are written up in docs/offline-sync.md; in short:
every record carries a UUID made on the tablet and the time it was made there; a UUID the
server already holds is a duplicate and changes nothing; for one registration the record
made last on a tablet is in force and every other one is kept in AttendanceVersion.
"""

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.errors import DomainError
from mediation.models import Commune, ModuleOutcome, Stop
from mediation.roles import is_coordinator, is_mediator
from sessions.mediator_app import individual_helps
from sessions.mediator_app.records import AttendanceRecord, RecordRefused, record_parse
from sessions.models import (
    Attendance,
    AttendanceVersion,
    Registration,
    RegistrationChannel,
    RegistrationStatus,
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

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in ("", None)} | {
            "uuid": self.uuid
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
        "gender": attendance.gender,
    }


# --- Who may see and write what ------------------------------------------------------------


def stops_visible_to(user) -> QuerySet[Stop]:
    """Coordinators see every stop; a mediator sees the stops assigned to them."""
    if not user.is_authenticated:
        return Stop.objects.none()
    if is_coordinator(user):
        return Stop.objects.all()
    if is_mediator(user):
        return Stop.objects.assigned_to(user)
    return Stop.objects.none()


def may_record_for(user, workshop: Workshop) -> bool:
    if is_coordinator(user):
        return True
    return is_mediator(user) and workshop.stop.mediators.filter(pk=user.pk).exists()


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
    attendance.gender = record.gender
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


def _help_answer(raw: dict, raw_uuid: str | None, *, user, now) -> RecordAnswer:
    try:
        record = individual_helps.help_parse(raw, now=now)
        with transaction.atomic():
            written = individual_helps.help_apply(
                record=record, user=user, visible_stops=stops_visible_to(user)
            )
    except RecordRefused as refusal:
        return RecordAnswer(raw_uuid, REFUSED, refusal.code)
    except IntegrityError:
        # The same help from another request, written between our check and our insert.
        return RecordAnswer(raw_uuid, DUPLICATE)
    return RecordAnswer(raw_uuid, ACCEPTED if written else DUPLICATE)


@transaction.atomic
def attendance_sync_batch(*, user, records: list, now: dt.datetime | None = None) -> list[dict]:
    """Apply a batch of attendance records from a tablet; one answer per record, in order.

    Each record is applied in its own savepoint, so a refused one leaves the others intact.
    Replaying a batch changes nothing: every UUID already held is answered "duplicate".
    Raises SyncError when the batch itself is not a list or is too long.
    """
    if not isinstance(records, list):
        raise SyncError("records_not_a_list", _("“records” must be a list."))
    if len(records) > MAX_BATCH_SIZE:
        raise SyncError(
            "batch_too_large",
            _("At most %(count)d records per batch.") % {"count": MAX_BATCH_SIZE},
        )
    now = now or timezone.now()
    answers = []
    for raw in records:
        raw_uuid = raw.get("uuid") if isinstance(raw, dict) else None
        raw_uuid = raw_uuid if isinstance(raw_uuid, str) else None
        if isinstance(raw, dict) and raw.get("kind") == individual_helps.KIND:
            answers.append(_help_answer(raw, raw_uuid, user=user, now=now).as_dict())
            continue
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
