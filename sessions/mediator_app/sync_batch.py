"""Applying a batch of attendance records with set-based reads and bulk writes.

A batch of a thousand records costs a fixed number of queries, not ten per record: the UUIDs
already held are looked up first, in one go, so that a replayed batch is answered at once;
then the workshops, the mediator's rights, the registrations (locked, and only they), the
communes of walk-ins, the outcomes, the tablets and the attendances in force are each read
once; the records are applied in memory, in order (the conflict rule of docs/offline-sync.md);
the writes go out in bulk. No workshop row is locked: a walk-in takes no seat, and a sign-up
on the same workshop never waits for a sync. Only a lending tablet's use goes through the
fleet's service one record at a time, since it may refuse the tablet (the presence is kept).
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction

from mediation.bulk_sql import insert_rows, update_from_values
from mediation.models import Commune, ModuleOutcome
from mediation.roles import is_coordinator, is_mediator
from sessions.mediator_app.records import AttendanceRecord, RecordRefused
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

# What a version keeps (AttendanceVersion.data), in the order the tablet's record reads.
RECORD_FIELDS = (
    "present",
    "minutes_spent",
    "note",
    "autonomy",
    "equipment",
    "redirection",
    "first_visit",
    "age_bracket",
    "situation",
    "gender",
)
WRITTEN_FIELDS = [
    "uuid",
    *RECORD_FIELDS,
    "lending_tablet",
    "recorded_at",
    "recorded_by",
    "received_at",
]
# What a version row holds, in the order write() gives it (archived_at is the sync's time).
VERSION_FIELDS = [
    "uuid",
    "attendance",
    "fate",
    "data",
    "recorded_at",
    "recorded_by",
    "archived_at",
]


def _folded(name: str) -> str:
    return name.strip().casefold()


def known_uuids(uuids) -> set[uuid.UUID]:
    """The record UUIDs the server already holds, in force or in history: two queries."""
    uuids = list(uuids)
    if not uuids:
        return set()
    # No ordering: the models' default one would join registrations and workshops.
    in_force = Attendance.objects.filter(uuid__in_array=uuids).order_by()
    history = AttendanceVersion.objects.filter(uuid__in_array=uuids).order_by()
    in_force = in_force.values_list("uuid", flat=True)
    history = history.values_list("uuid", flat=True)
    return set(in_force) | set(history)


def attendance_as_history(attendance: Attendance, outcome_ids: list[int] | None = None) -> dict:
    """An attendance's fields as kept in AttendanceVersion.data (and shown on the tablet)."""
    if outcome_ids is None:
        outcome_ids = [outcome.pk for outcome in attendance.outcomes.all()]
    data = {name: getattr(attendance, name) for name in RECORD_FIELDS}
    return data | {"outcomes": sorted(outcome_ids), "lending_tablet": attendance.lending_tablet_id}


@dataclass
class InForce:
    """The attendance in force for one registration while the batch is applied."""

    attendance: Attendance
    outcome_ids: list[int]
    is_new: bool = False
    changed: bool = False


@dataclass
class Batch:
    """Everything the records need, read once, and the writes they add up to."""

    user: object
    now: dt.datetime
    workshops: dict[int, Workshop] = field(default_factory=dict)
    allowed: set[int] = field(default_factory=set)
    registrations: dict[uuid.UUID, Registration] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    outcome_modules: dict[int, int] = field(default_factory=dict)  # outcome id -> module id
    tablets: dict[int, Tablet] = field(default_factory=dict)
    in_force: dict[uuid.UUID, InForce] = field(default_factory=dict)  # by registration UUID
    new_registrations: list[Registration] = field(default_factory=list)
    withdrawn_walk_ins: list[Registration] = field(default_factory=list)
    # (workshop id, phone, first name folded) of the active registrations a new walk-in
    # could repeat: the same person twice, which the database refuses.
    people_by_phone: set[tuple[int, str, str]] = field(default_factory=set)
    versions: list[tuple] = field(default_factory=list)  # (InForce, *VERSION_FIELDS[1:6])

    def read(self, records: list[AttendanceRecord]) -> None:
        workshop_ids = {record.workshop_id for record in records}
        self.workshops = {
            workshop.pk: workshop
            for workshop in Workshop.objects.select_related("stop")
            .filter(pk__in=workshop_ids)
            .order_by()
        }
        if is_coordinator(self.user):
            self.allowed = set(self.workshops)
        elif is_mediator(self.user):
            self.allowed = set(
                Workshop.objects.filter(pk__in=workshop_ids, stop__mediators=self.user)
                .order_by()
                .values_list("pk", flat=True)
            )
        # Only the registrations written are locked, in a fixed order and with no join: the
        # model's default ordering would join workshop and stop under FOR UPDATE.
        self.registrations = {
            registration.uuid: registration
            for registration in Registration.objects.filter(
                uuid__in_array={record.registration_uuid for record in records}
            )
            .select_for_update(of=("self",))
            .order_by("pk")
            .only("pk", "uuid", "workshop_id", "channel", "status")
        }
        codes = {record.walk_in.commune_code for record in records if record.walk_in}
        if codes:
            self.communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
        phones = {
            record.walk_in.phone
            for record in records
            if record.walk_in
            and record.walk_in.phone
            and record.registration_uuid not in self.registrations
        }
        if phones:
            self.people_by_phone = {
                (workshop_id, phone, _folded(first_name))
                for workshop_id, phone, first_name in Registration.objects.filter(
                    workshop_id__in=workshop_ids, phone__in=phones
                )
                .active()
                .order_by()
                .values_list("workshop_id", "phone", "first_name")
            }
        outcome_ids = {pk for record in records for pk in record.outcome_ids}
        if outcome_ids:
            self.outcome_modules = dict(
                ModuleOutcome.objects.filter(pk__in=outcome_ids).values_list("pk", "module_id")
            )
        tablet_ids = {record.tablet_id for record in records if record.tablet_id is not None}
        if tablet_ids:
            self.tablets = {
                tablet.pk: tablet for tablet in Tablet.objects.filter(pk__in=tablet_ids)
            }
        by_pk = {registration.pk: key for key, registration in self.registrations.items()}
        if not by_pk:
            return
        attendances = list(Attendance.objects.filter(registration_id__in_array=by_pk).order_by())
        outcomes_of: dict[int, list[int]] = {}
        through = Attendance.outcomes.through.objects.filter(
            attendance_id__in_array=[attendance.pk for attendance in attendances]
        )
        for attendance_id, outcome_id in through.values_list("attendance_id", "moduleoutcome_id"):
            outcomes_of.setdefault(attendance_id, []).append(outcome_id)
        for attendance in attendances:
            self.in_force[by_pk[attendance.registration_id]] = InForce(
                attendance, sorted(outcomes_of.get(attendance.pk, []))
            )

    def _check(self, record: AttendanceRecord) -> Workshop:
        """The record's workshop, or RecordRefused, in the protocol's order."""
        workshop = self.workshops.get(record.workshop_id)
        if workshop is None:
            raise RecordRefused("unknown_workshop")
        if workshop.pk not in self.allowed:
            raise RecordRefused("forbidden")
        registration = self.registrations.get(record.registration_uuid)
        if registration is None:
            if record.walk_in is None:
                raise RecordRefused("unknown_registration")
            if record.walk_in.commune_code not in self.communes:
                raise RecordRefused("unknown_commune")
            if self._already_on_the_roster(record.walk_in, workshop):
                # Jeanine, signed up, added again as a walk-in: her own card is the one to mark.
                raise RecordRefused("already_registered")
        elif registration.workshop_id != workshop.pk:
            raise RecordRefused("registration_not_in_workshop")
        elif record.withdrawn and registration.channel != RegistrationChannel.WALK_IN:
            # Only a walk-in can be taken off the roster from the tablet: a sign-up is the
            # resident's, cancelled by her or by the coordination.
            raise RecordRefused("not_a_walk_in")
        if any(self.outcome_modules.get(pk) != workshop.module_id for pk in record.outcome_ids):
            raise RecordRefused("unknown_outcome")
        return workshop

    def _lending_tablet(
        self, record: AttendanceRecord, workshop: Workshop, state: "InForce | None"
    ) -> tuple[Tablet | None, str]:
        """The lending tablet, its use recorded in the fleet; or None and why it was left out.

        A tablet the fleet refuses ("reset_pending", "unavailable") or no longer knows does
        not cost the presence: the person came and is counted, and the mediator reads on
        the card why the tablet was not noted, instead of losing the whole record.
        """
        if record.tablet_id is None:
            return None, ""
        tablet = self.tablets.get(record.tablet_id)
        if tablet is None:
            return None, "unknown_tablet"
        current_tablet = state.attendance.lending_tablet_id if state else None
        if current_tablet != tablet.pk:
            try:
                with transaction.atomic():
                    tablet_record_use(
                        tablet=tablet,
                        used_at=record.recorded_at,
                        reference=str(record.uuid),
                        stop=workshop.stop,
                    )
            except TabletError as error:
                return None, error.code
        return tablet, ""

    def _walk_in(self, record: AttendanceRecord, workshop: Workshop) -> Registration:
        # A walk-in sits in the room after sign-ups have closed: it takes no advance seat, so
        # the seat counter (which guards advance sign-ups) is left alone.
        registration = Registration(
            uuid=record.registration_uuid,
            workshop=workshop,
            first_name=record.walk_in.first_name,
            phone=record.walk_in.phone,
            home_commune=self.communes[record.walk_in.commune_code],
            status=RegistrationStatus.CONFIRMED,
            channel=RegistrationChannel.WALK_IN,
            created_by=self.user,
        )
        self.registrations[registration.uuid] = registration
        self.new_registrations.append(registration)
        if registration.phone:
            key = (workshop.pk, registration.phone, _folded(registration.first_name))
            self.people_by_phone.add(key)
        return registration

    def _already_on_the_roster(self, walk_in, workshop: Workshop) -> bool:
        """The same first name with the same phone already signed up for the workshop (a couple
        sharing a landline is two first names)."""
        key = (workshop.pk, walk_in.phone, _folded(walk_in.first_name))
        return bool(walk_in.phone) and key in self.people_by_phone

    def _archive(self, state: InForce, version_uuid, data, recorded_at, recorded_by_id, fate):
        # A row, not an AttendanceVersion: nothing reads it back, and building a thousand
        # model instances cost more than inserting them (see write()).
        self.versions.append((state, version_uuid, fate, data, recorded_at, recorded_by_id))

    def apply(self, record: AttendanceRecord) -> tuple[str, str]:
        """Apply one record in memory: IN_FORCE or OUTDATED, with why its lending tablet was
        left out ("" when it was not); or RecordRefused."""
        workshop = self._check(record)
        state = self.in_force.get(record.registration_uuid)
        if state is not None and (record.recorded_at, str(record.uuid)) <= (
            state.attendance.recorded_at,
            str(state.attendance.uuid),
        ):
            self._archive(
                state,
                record.uuid,
                record.as_history(),
                record.recorded_at,
                self.user.pk,
                AttendanceVersion.Fate.OUTDATED,
            )
            return "outdated", ""
        tablet, tablet_refused = self._lending_tablet(record, workshop, state)
        if record.registration_uuid not in self.registrations:
            self._walk_in(record, workshop)
        if state is None:
            state = InForce(Attendance(), [], is_new=True)
            self.in_force[record.registration_uuid] = state
        else:
            attendance = state.attendance
            self._archive(
                state,
                attendance.uuid,
                attendance_as_history(attendance, state.outcome_ids),
                attendance.recorded_at,
                attendance.recorded_by_id,
                AttendanceVersion.Fate.REPLACED,
            )
        attendance = state.attendance
        attendance.uuid = record.uuid
        for name in RECORD_FIELDS:
            setattr(attendance, name, getattr(record, name))
        attendance.lending_tablet = tablet
        attendance.recorded_at = record.recorded_at
        attendance.recorded_by = self.user
        attendance.received_at = self.now
        state.outcome_ids = list(record.outcome_ids)
        state.changed = True
        if record.withdrawn:
            self.withdrawn_walk_ins.append(self.registrations[record.registration_uuid])
        return "in_force", tablet_refused

    def write(self) -> None:
        """Every write the batch added up to, in bulk."""
        # A withdrawn walk-in is cancelled, with no seat released: it never held one. One
        # made by this batch (no pk yet) is inserted cancelled; the others are updated.
        for registration in self.withdrawn_walk_ins:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = self.now
        existing = [r.pk for r in self.withdrawn_walk_ins if r.pk is not None]
        Registration.objects.bulk_create(self.new_registrations)
        if existing:
            Registration.objects.filter(pk__in=existing).order_by().update(
                status=RegistrationStatus.CANCELLED, cancelled_at=self.now
            )
        created, updated = [], []
        for key, state in self.in_force.items():
            if not state.changed:
                continue
            if state.is_new:
                state.attendance.registration = self.registrations[key]
                created.append(state)
            else:
                updated.append(state)
        Attendance.objects.bulk_create([state.attendance for state in created])
        # One UPDATE … FROM (VALUES …), not bulk_update's CASE per field and row (seconds).
        update_from_values([state.attendance for state in updated], WRITTEN_FIELDS)
        insert_rows(
            AttendanceVersion,
            VERSION_FIELDS,
            [(row[1], row[0].attendance.pk, *row[2:], self.now) for row in self.versions],
        )
        through = Attendance.outcomes.through
        changed = created + updated
        through.objects.filter(attendance_id__in_array=[s.attendance.pk for s in updated]).delete()
        through.objects.bulk_create(
            through(attendance_id=state.attendance.pk, moduleoutcome_id=outcome_id)
            for state in changed
            for outcome_id in state.outcome_ids
        )
