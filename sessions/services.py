"""Sign-ups, cancellations and the messages they trigger: every write that spans models.

Capacity is guarded twice: the workshop row is locked (by the sign-up's conditional UPDATE
itself while seats are left, else by `select_for_update`: either serialises sign-ups on
PostgreSQL) and the seat is taken with a conditional UPDATE of `Workshop.seats_taken`, which
the CHECK constraint `seats_taken <= capacity` backs; the conditional update alone holds on
SQLite too, where row locks do not exist.
"""

import datetime as dt
import functools
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from mediation.errors import DomainError
from mediation.models import Commune, Stop, StopStatus
from mediation.prepared import converted
from mediation.services import stop_update
from mediation.single_insert import insert
from mediation.tour_cache import tour_changed
from sessions.contacts import normalise_email, normalise_phone, unreached
from sessions.message_models import MessageKind, SmsOptOut
from sessions.messaging import notify_after_commit
from sessions.models import (
    Registration,
    RegistrationChannel,
    RegistrationStatus,
    Workshop,
)

logger = logging.getLogger(__name__)

# The history's entry for a call made to a resident given a seat (registered in wagtail_hooks).
CALL_MADE_ACTION = "workshops.call_made"
SMS_AGAIN_ACTION = "workshops.sms_again"


class RegistrationError(DomainError):
    """A sign-up or cancellation that cannot be done; `code` says why, for code and tests."""


def workshop_signup_state(workshop: Workshop, *, now: dt.datetime | None = None) -> str:
    """`open`, `not_yet_open`, `closed` (deadline or workshop passed) or `cancelled`."""
    return workshop.signup_state(now or timezone.now())


# What a sign-up reads of its workshop (locked): whether it is open, and its end for the link.
SIGNUP_FIELDS = ("start_time", "end_time", "signup_opens_at", "signup_closes_at")
SIGNUP_STOP_FIELDS = ("date", "status")


def _take_a_seat(workshop_pk: int) -> tuple[Workshop, bool]:
    """Lock the workshop, take a seat if one is left: (the workshop as a sign-up reads it,
    with its stop, and whether a seat was taken). Inside the sign-up's transaction.

    While seats are left (most sign-ups), one statement: the conditional UPDATE of the seat
    counter locks the row (as FOR NO KEY UPDATE does) and returns what the sign-up checks,
    the stop's date and status by subqueries (PostgreSQL and SQLite both allow them in
    RETURNING). A sign-up found closed afterwards raises, and the seat goes back with the
    rollback. When no seat is left, the row is locked and read by a SELECT … FOR NO KEY
    UPDATE. Both in SQL built once per process: Django compiles no UPDATE … RETURNING, and
    compiling the SELECT … FOR UPDATE and the UPDATE cost more CPU than the rest of the
    write together.
    """
    with connection.cursor() as cursor:
        cursor.execute(_seat_sql(connection.vendor), [workshop_pk])
        row = cursor.fetchone()
        took_a_seat = row is not None
        if not took_a_seat:  # no seat left (or no such workshop: DoesNotExist)
            cursor.execute(_locked_sql(connection.vendor), [workshop_pk])
            row = cursor.fetchone()
            if row is None:
                raise Workshop.DoesNotExist("Workshop matching query does not exist.")
    values = converted(row, _seat_converters(connection.vendor), connection)
    workshop_values, stop_values = values[: len(SIGNUP_FIELDS) + 1], values[-2:]
    workshop = Workshop.from_db(
        connection.alias, ["id", "stop_id", *SIGNUP_FIELDS], [workshop_pk, *workshop_values]
    )
    workshop.stop = Stop.from_db(
        connection.alias, ["id", *SIGNUP_STOP_FIELDS], [workshop.stop_id, *stop_values]
    )
    return workshop, took_a_seat


def _seat_fields() -> list:
    return [Workshop._meta.get_field(name) for name in ("stop", *SIGNUP_FIELDS)] + [
        Stop._meta.get_field(name) for name in SIGNUP_STOP_FIELDS
    ]


@functools.cache
def _seat_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    workshop, stop = quote(Workshop._meta.db_table), quote(Stop._meta.db_table)
    of_the_stop = f"FROM {stop} WHERE {stop}.id = {workshop}.stop_id"
    returning = [
        f"{workshop}.{quote(field.column)}"
        if field.model is Workshop
        else f"(SELECT {stop}.{quote(field.column)} {of_the_stop})"
        for field in _seat_fields()
    ]
    return (
        f"UPDATE {workshop} SET seats_taken = seats_taken + 1 "  # noqa: S608 - model names
        f"WHERE id = %s AND seats_taken < capacity RETURNING {', '.join(returning)}"
    )


@functools.cache
def _locked_sql(vendor: str) -> str:
    """The same columns as _seat_sql's, the workshop row locked as the ORM's
    `select_for_update(of=("self",), no_key=True)` locks it (SQLite has no row locks: its
    writes are serialised anyway)."""
    quote = connection.ops.quote_name
    workshop, stop = quote(Workshop._meta.db_table), quote(Stop._meta.db_table)
    columns = [
        f"{quote(field.model._meta.db_table)}.{quote(field.column)}" for field in _seat_fields()
    ]
    lock = ""
    if connection.features.has_select_for_update:
        features = connection.features
        lock = connection.ops.for_update_sql(
            no_key=features.has_select_for_no_key_update,
            of=(workshop,) if features.has_select_for_update_of else (),
        )
    return (
        f"SELECT {', '.join(columns)} FROM {workshop} "  # noqa: S608 - model names
        f"INNER JOIN {stop} ON {stop}.id = {workshop}.stop_id WHERE {workshop}.id = %s {lock}"
    ).rstrip()


@functools.cache
def _seat_converters(vendor: str) -> dict:
    """The converters the ORM would apply to the returned columns, by position."""
    converters = {}
    for position, field in enumerate(_seat_fields()):
        column = field.get_col(field.model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters[position] = (functions, column)
    return converters


@transaction.atomic
def registration_create(
    *,
    workshop: Workshop | int,
    first_name: str,
    last_name: str = "",
    phone: str = "",
    email: str = "",
    home_commune: Commune | None = None,
    needs: str = "",
    channel: str = RegistrationChannel.ONLINE,
    waiting_list_ok: bool = True,
    consent: bool = True,
    created_by=None,
    notify: bool = True,
    submission_key: str = "",
) -> Registration:
    """Register someone: confirmed while seats remain, else on the waiting list.

    `workshop` is the workshop or its pk (the public form's, which reads nothing before):
    either way it is read here, locked. Raises Workshop.DoesNotExist for an unknown pk, and
    RegistrationError with code `closed` (sign-ups not open, workshop passed or stop
    cancelled), `invalid_phone`, `no_contact` (an online sign-up needs a phone or an
    e-mail), `duplicate` (the same person, by name, already holds an active registration with
    this phone or e-mail: a couple sharing a landline is two people), or `full` (no seat left
    and the waiting list not wanted). `submission_key` is the online form's digest, kept so
    that the same form sent again leads to this registration (`sent_by_form`).
    """
    try:
        phone, email = normalise_phone(phone), normalise_email(email)
    except ValidationError as error:
        raise RegistrationError("invalid_phone") from error
    # FOR NO KEY UPDATE (or the UPDATE's own lock), not FOR UPDATE: sign-ups still queue on
    # the workshop row, but a sync inserting walk-ins (which takes a KEY SHARE lock through
    # their foreign key) never makes a resident wait, nor the other way round.
    # Only the columns the state and the personal link need (the times, the stop's date and
    # status): the module, with its steps' StreamField, is for the pages and the worker
    # composing messages, not for taking a seat.
    locked, took_a_seat = _take_a_seat(workshop.pk if isinstance(workshop, Workshop) else workshop)
    state = workshop_signup_state(locked)
    # Staff taking a call may still register someone after the online deadline, not after
    # the workshop or for a cancelled stop. A refusal rolls back the seat just taken.
    staff_may_override = channel != RegistrationChannel.ONLINE and state == "closed"
    if state != "open" and not (staff_may_override and timezone.now() < locked.starts_at):
        raise RegistrationError("closed")
    if channel == RegistrationChannel.ONLINE and not (phone or email):
        raise RegistrationError("no_contact")
    if not took_a_seat and not waiting_list_ok:
        if _holds_an_active_registration(
            locked, first_name=first_name, last_name=last_name, phone=phone, email=email
        ):
            raise RegistrationError("duplicate")
        raise RegistrationError("full")
    try:
        # The same person with the same phone or e-mail already active on this workshop is
        # refused by the unique constraints (one_active_registration_per_person_phone/
        # _email), not by a query before:
        # one round trip less for every sign-up. No savepoint: the IntegrityError aborts
        # the whole sign-up (the seat taken above is rolled back with it).
        # insert(), not save(): the same INSERT as bulk_create, compiled once per process
        # (compiling it was the sign-up's dearest step); the one receiver of a new
        # registration's post_save, the tour cache's seats version, is told below.
        registration = insert(
            Registration(
                workshop=locked,
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                email=email,
                home_commune=home_commune,
                needs=needs,
                channel=channel,
                status=RegistrationStatus.CONFIRMED if took_a_seat else RegistrationStatus.WAITING,
                consent_at=timezone.now() if consent else None,
                created_by=created_by,
                submission_key=submission_key,
            )
        )
    except IntegrityError as error:
        raise RegistrationError("duplicate") from error
    # The seats version once committed only (see tour_changed): a round trip to Redis less.
    tour_changed("seats", at_once=False)
    if isinstance(workshop, Workshop):
        registration.workshop = workshop  # the caller's, with whatever it had read
    if notify:
        # Logged now, sent by the worker once committed: a rolled-back sign-up sends nothing.
        notify_after_commit(
            [registration],
            kind=MessageKind.CONFIRMED
            if registration.status == RegistrationStatus.CONFIRMED
            else MessageKind.WAITING,
        )
    return registration


def _holds_an_active_registration(
    workshop: Workshop, *, first_name: str, last_name: str, phone: str, email: str
) -> bool:
    """The same person (the constraints' test) already signed up for this workshop."""
    return (
        workshop.registrations.active()
        .same_person(first_name=first_name, last_name=last_name, phone=phone, email=email)
        .exists()
    )


def _promote_waiting(workshop: Workshop, *, notify: bool) -> list[Registration]:
    """Give free seats to the waiting list, first come first served (workshop row locked)."""
    promoted = []
    now = timezone.now()
    for registration in workshop.registrations.waiting().select_for_update():
        took_a_seat = Workshop.objects.filter(pk=workshop.pk, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
        if not took_a_seat:
            break
        registration.status = RegistrationStatus.CONFIRMED
        # Whoever no SMS or e-mail reaches is listed for staff to call from now on.
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        promoted.append(registration)
        if notify:
            notify_after_commit([registration], kind=MessageKind.PROMOTED)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, by=None, notify: bool = True
) -> list[Registration]:
    """Cancel a registration, free its seat and promote the waiting list; returns the promoted.

    `by` is the staff member cancelling on someone's behalf, None for the resident. Raises
    RegistrationError `already_cancelled`, or `too_late` for a resident once it has begun.
    """
    workshop = (
        Workshop.objects.select_for_update(of=("self",))
        .select_related("stop", "module")
        .get(pk=registration.workshop_id)
    )
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        raise RegistrationError("already_cancelled")
    if by is None and timezone.now() >= workshop.starts_at:
        # Once the workshop has begun, the mediators record absences; residents cannot cancel.
        raise RegistrationError("too_late")
    held_a_seat = current.status == RegistrationStatus.CONFIRMED
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    promoted = []
    if held_a_seat:
        Workshop.objects.filter(pk=workshop.pk, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1
        )
        promoted = _promote_waiting(workshop, notify=notify)
    if notify and by is None:
        # Staff cancelling on someone's behalf tell them themselves; a resident gets a receipt.
        notify_after_commit([current], kind=MessageKind.CANCELLED)
    return promoted


@transaction.atomic
def registration_move(
    *,
    registration: Registration,
    to_workshop: Workshop,
    by,
    waiting_list_ok: bool = True,
    notify: bool = True,
) -> tuple[Registration, list[Registration]]:
    """Move a resident to another workshop (another hour, day or module), for staff taking
    their call: (the new registration, those its old seat promoted from the waiting list).

    The new seat is taken first, as a staff sign-up (after the online deadline too), then the
    old registration is cancelled and its seat given to the waiting list; a refusal (codes of
    `registration_create`, `already_cancelled`, `same_workshop`) leaves everything as it was.
    The resident gets the new workshop's confirmation (or waiting-list) message.
    """
    if registration.workshop_id == to_workshop.pk:
        raise RegistrationError("same_workshop")
    # Both workshops locked first, in one order, as a cancellation locks its workshop before
    # its registration: two moves the opposite way, or the resident cancelling meanwhile,
    # wait for each other instead of deadlocking. FOR UPDATE, as registration_cancel below
    # takes it: a weaker lock upgraded there could wait on a walk-in's foreign-key lock.
    list(
        Workshop.objects.select_for_update(of=("self",))
        .filter(pk__in=[registration.workshop_id, to_workshop.pk])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        raise RegistrationError("already_cancelled")
    moved = registration_create(
        workshop=to_workshop,
        first_name=current.first_name,
        last_name=current.last_name,
        phone=current.phone,
        email=current.email,
        home_commune=current.home_commune,
        needs=current.needs,
        # The staff's channel: they move people on the phone, and may after the deadline.
        channel=RegistrationChannel.PHONE,
        waiting_list_ok=waiting_list_ok,
        consent=current.consent_at is not None,
        created_by=by,
        notify=notify,
    )
    promoted = registration_cancel(registration=registration, by=by, notify=notify)
    return moved, promoted


def registration_sent_again(
    *,
    workshop: int,
    submission_key: str,
    first_name: str,
    last_name: str,
    phone: str,
    email: str,
    needs: str,
    home_commune: Commune | None,
) -> Registration | None:
    """The active registration of this person that this very online form made, if a sign-up
    refused as a duplicate was that form sent again (one page may have signed up several
    people: a town hall's secretary). What she may have corrected before sending it again
    without becoming another person (what she needs help with, her commune) is taken from
    the last sending, so that the mediators read it."""
    registration = (
        Registration.objects.active()
        .filter(workshop_id=workshop)
        .sent_by_form(submission_key)
        .same_person(
            first_name=first_name,
            last_name=last_name,
            phone=normalise_phone(phone),
            email=normalise_email(email),
        )
        .first()
    )
    if registration is None:
        return None
    changed = {}
    if registration.needs != needs:
        changed["needs"] = needs
    if registration.home_commune_id != (home_commune.pk if home_commune else None):
        changed["home_commune"] = home_commune
    if changed:
        Registration.objects.filter(pk=registration.pk).update(**changed, updated_at=timezone.now())
        for name, value in changed.items():
            setattr(registration, name, value)
    return registration


@transaction.atomic
def registration_call_made(*, registration: Registration, by=None) -> bool:
    """Record that staff phoned a resident given a seat from the waiting list (the call the
    back office's home lists for those no SMS or e-mail reaches).

    Idempotent: returns False when the call was already recorded (the first time is kept).
    Raises RegistrationError `not_promoted` for a registration the waiting list never gave
    a seat, `already_cancelled` for a cancelled one. `by` is the staff member who called.
    """
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.promoted_at is None:
        raise RegistrationError("not_promoted")
    if current.status == RegistrationStatus.CANCELLED:
        raise RegistrationError("already_cancelled")
    now = timezone.now()
    recorded = Registration.objects.filter(pk=current.pk, called_at__isnull=True).update(
        called_at=now, updated_at=now
    )
    registration.called_at = now if recorded else current.called_at
    if recorded:
        # Who called, in the registration's history (its label is wiped with the person).
        log(instance=current, action=CALL_MADE_ACTION, user=by)
    return bool(recorded)


@transaction.atomic
def registration_sms_again(*, registration: Registration, by) -> bool:
    """The resident who answered STOP asks staff for SMS again: their number's opt-out is
    lifted, so the next messages leave by SMS (nothing skipped meanwhile is sent again).

    Returns False when the number was not blocked. Raises RegistrationError
    `refused_by_provider` for a number the provider itself refused for good: only the
    provider can take it back. Recorded in the registration's history, with who.
    """
    opt_out = SmsOptOut.of(registration.phone)
    if opt_out is None:
        return False
    if opt_out.reason != SmsOptOut.Reason.STOP:
        raise RegistrationError("refused_by_provider")
    opt_out.delete()
    log(instance=registration, action=SMS_AGAIN_ACTION, user=by)
    return True


@transaction.atomic
def registration_tell_seat_to_new_contact(
    *, registration: Registration, phone_before: str, email_before: str
) -> bool:
    """After staff change the contact details of a resident given a seat from the waiting list
    whom nothing reached and who is not called yet: if an SMS or an e-mail reaches them now,
    the seat's message, skipped when they got it, goes (and they leave the calls to make, which
    no longer list them). Returns whether it was sent."""
    today = timezone.localdate()
    if not Registration.objects.promoted_not_called(today).filter(pk=registration.pk).exists():
        return False
    before = {"phone": phone_before, "email": email_before}
    if not unreached([before]) or unreached([registration]):
        return False
    notify_after_commit([registration], kind=MessageKind.PROMOTED)
    return True


@transaction.atomic
def workshop_fill_from_waiting_list(
    *, workshop: Workshop, notify: bool = True
) -> list[Registration]:
    """After staff add seats, give them to the waiting list in order; returns the promoted."""
    locked = Workshop.objects.select_for_update(of=("self",)).get(pk=workshop.pk)
    return _promote_waiting(locked, notify=notify)


@transaction.atomic
def stop_cancel(*, stop: Stop, reason: str, by=None, notify: bool = True) -> int:
    """Cancel a stop, publish it to calendars (SEQUENCE + 1) and tell every registrant.

    Returns how many registrations were cancelled. Raises RegistrationError `already_cancelled`.
    """
    locked = Stop.objects.select_for_update(of=("self",)).select_related("commune").get(pk=stop.pk)
    if locked.status == StopStatus.CANCELLED:
        raise RegistrationError("already_cancelled")
    locked.status = StopStatus.CANCELLED
    locked.cancellation_reason = reason
    # stop_update is the one place that bumps SEQUENCE, so calendars drop the event.
    stop_update(stop=locked, changed_fields=["status", "cancellation_reason"])
    stop.status, stop.cancellation_reason, stop.sequence = (
        locked.status,
        locked.cancellation_reason,
        locked.sequence,
    )
    return _cancel_registrations_of(locked, notify=notify)


def _cancel_registrations_of(stop: Stop, *, notify: bool) -> int:
    """Cancel every active registration at a cancelled stop, free the seats, tell everyone."""
    workshops = list(Workshop.objects.select_for_update().filter(stop=stop))
    affected = list(
        Registration.objects.active()
        .filter(workshop__in=workshops)
        .select_related("workshop__stop__commune", "workshop__module")
    )
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in affected]).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=now, updated_at=now
    )
    Workshop.objects.filter(pk__in=[w.pk for w in workshops]).update(seats_taken=0)
    if notify:
        notify_after_commit(
            affected,
            kind=MessageKind.STOP_CANCELLED,
            params={"reason": stop.cancellation_reason},
            dedupe_key=f"stop-cancelled-{stop.sequence}",
        )
    return len(affected)


@transaction.atomic
def stop_registrations_cancel(*, stop: Stop, notify: bool = True) -> int:
    """For a stop someone marked cancelled in its edit form: cancel and tell its registrants.

    Does nothing (returns 0) when the stop is not cancelled.
    """
    locked = Stop.objects.select_for_update(of=("self",)).select_related("commune").get(pk=stop.pk)
    if locked.status != StopStatus.CANCELLED:
        return 0
    return _cancel_registrations_of(locked, notify=notify)


# Local hours when reminders may leave: the hourly cron's first run after midnight would
# otherwise text every resident of the day after tomorrow at 00:05.
REMINDER_HOURS = range(8, 21)


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue the two-day and one-day reminders that are due; returns how many were queued.

    Only between 8:00 and 21:00 (Europe/Paris): a run at night queues nothing, the first
    run of the morning sends the day's reminders. Each reminder is claimed with a
    conditional UPDATE in the same transaction that logs its messages, so two runs (even
    overlapping ones) never queue the same reminder twice; the messages' dedupe key is the
    database's guarantee behind it.
    """
    now = now or timezone.now()
    if timezone.localtime(now).hour not in REMINDER_HOURS:
        return 0
    today = timezone.localdate(now)
    sent = 0
    plans = [
        (2, "reminded_two_days_at"),
        (1, "reminded_one_day_at"),
    ]
    for days, field in plans:
        due = (
            Registration.objects.confirmed()
            .filter(
                workshop__stop__date=today + dt.timedelta(days=days),
                anonymised_at__isnull=True,
                **{f"{field}__isnull": True},
            )
            .exclude(workshop__stop__status=StopStatus.CANCELLED)
            .select_related("workshop__stop__commune", "workshop__module")
        )
        for registration in due:
            with transaction.atomic():
                claimed = Registration.objects.filter(
                    pk=registration.pk, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if not claimed:
                    continue
                notify_after_commit(
                    [registration],
                    kind=MessageKind.REMINDER,
                    params={"days": days},
                    dedupe_key=f"reminder-{days}",
                )
            sent += 1
    return sent
