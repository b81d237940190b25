"""Writes to the tablet fleet. Other apps (attendance) call these; they never touch the models.

Published API (kept stable; only optional keyword arguments may be added):
    tablet_record_use(*, tablet, used_at, reference, stop=None) -> TabletUse
    tablet_record_reset(*, tablet, by, at=None, factory_reset=False, note="", uuid=None)
        -> TabletReset
    Tablet.needs_reset, Tablet.objects.ready_for_resident(), TabletError (with .code)
"""

import datetime as dt
import uuid as uuid_module

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.models import Stop
from tablets.errors import TabletError
from tablets.models import (
    Tablet,
    TabletCheckout,
    TabletReset,
    TabletStatus,
    TabletStatusChange,
    TabletUse,
)

__all__ = [
    "TabletError",
    "ALLOWED_TRANSITIONS",
    "tablet_record_use",
    "tablet_record_reset",
    "tablet_change_status",
    "tablet_check_out",
    "tablet_return",
]

S = TabletStatus
# The status graph. A lost tablet comes back into service only when found (the move itself
# says so, with a note of where); a retired tablet never comes back.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.IN_SERVICE: frozenset({S.CHARGING, S.IN_REPAIR, S.LOST, S.RETIRED}),
    S.CHARGING: frozenset({S.IN_SERVICE, S.IN_REPAIR, S.LOST, S.RETIRED}),
    S.IN_REPAIR: frozenset({S.IN_SERVICE, S.CHARGING, S.RETIRED}),
    S.LOST: frozenset({S.IN_SERVICE, S.IN_REPAIR, S.RETIRED}),
    S.RETIRED: frozenset(),
}


def _locked(tablet: Tablet) -> Tablet:
    """Re-read the tablet under a row lock so two mediators cannot race on it."""
    return Tablet.objects.select_for_update().get(pk=tablet.pk)


def _already_recorded(existing, *, on: Tablet):
    """A use or reset sent again (a replayed batch) is answered with the first one; the same
    reference on another tablet is a conflict, never silently moved."""
    if existing.tablet_id != on.pk:
        raise TabletError(
            _("This reference was already recorded on another tablet."),
            code="reference_conflict",
        )
    return existing


@transaction.atomic
def tablet_record_use(
    *, tablet: Tablet, used_at: dt.datetime, reference: str, stop: Stop | None = None
) -> TabletUse:
    """Record that a resident used ``tablet``; from then on it awaits a reset.

    Idempotent on ``reference`` (the attendance UUID): a replayed call returns the use
    recorded the first time and changes nothing. Refused (``reset_pending``) when a use not yet
    cleared happened before this one; a use that happened before the one awaiting the reset
    (sent late, from a tablet with no signal) was made on a clean tablet and is recorded.
    """
    if timezone.is_naive(used_at):
        raise ValueError("used_at must be an aware datetime")
    reference = str(reference)
    locked = _locked(tablet)
    existing = TabletUse.objects.filter(reference=reference).first()
    if existing is not None:
        return _already_recorded(existing, on=locked)
    if locked.status != TabletStatus.IN_SERVICE:
        raise TabletError(
            _("This tablet is not in service (%(status)s).")
            % {"status": locked.get_status_display()},
            code="unavailable",
        )
    # reset_pending_since is the earliest use not yet cleared (kept so here and by the reset):
    # whether one came before this use, without a query per lending record of a sync.
    if locked.needs_reset and locked.reset_pending_since <= used_at:
        raise TabletError(
            _("This tablet must be reset before the next resident uses it."),
            code="reset_pending",
        )
    use = TabletUse.objects.create(tablet=locked, used_at=used_at, reference=reference, stop=stop)
    # Any use not yet cleared came after this one (else refused above): this is the earliest.
    locked.reset_pending_since = used_at
    locked.save(update_fields=["reset_pending_since"])
    tablet.reset_pending_since = used_at
    return use


@transaction.atomic
def tablet_record_reset(
    *,
    tablet: Tablet,
    by,
    at: dt.datetime | None = None,
    factory_reset: bool = False,
    note: str = "",
    uuid: uuid_module.UUID | str | None = None,
) -> TabletReset:
    """Record a reset (accounts signed out, browser data cleared); clears any pending reset.

    The reset clears the uses recorded so far that it can have wiped: those made before it, or
    that had reached the fleet before it (a tablet's clock a little ahead must not keep a
    tablet waiting after an online reset). A use made after it, on another mediator's app, and
    known before this reset arrived from a tablet with no signal, stays to be cleared: that
    resident's session is still on the tablet. A caller that replays offline records sends each
    use before the reset that follows it.
    Idempotent on ``uuid`` (the id the mediator's tablet made): a replayed call returns the
    reset recorded the first time and changes nothing; the same id on another tablet raises
    ``reference_conflict``.
    """
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at must be an aware datetime")
    if uuid is not None:
        uuid = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    locked = _locked(tablet)
    if uuid is not None:
        # Looked up under the tablet's lock: a copy of the same reset sent at the same
        # moment waits here, then finds the first one.
        existing = TabletReset.objects.filter(uuid=uuid).first()
        if existing is not None:
            return _already_recorded(existing, on=locked)
    reset = TabletReset.objects.create(
        tablet=locked, at=at, by=by, factory_reset=factory_reset, note=note, uuid=uuid
    )
    not_cleared = TabletUse.objects.filter(tablet=locked, reset__isnull=True)
    not_cleared.filter(Q(used_at__lte=at) | Q(recorded_at__lte=at)).update(reset=reset)
    since = not_cleared.order_by("used_at").values_list("used_at", flat=True).first()
    locked.reset_pending_since = since
    locked.save(update_fields=["reset_pending_since"])
    tablet.reset_pending_since = since
    return reset


def transition_refusal(
    from_status: str, to_status: str, *, awaiting_reset: bool = False
) -> str | None:
    """Why ``from_status`` → ``to_status`` is refused, or None when it is allowed.

    A tablet awaiting its reset still holds the last resident's sessions: retired, it leaves
    the alerts and maybe the office, so it is reset first; only a lost one, which nobody can
    wipe, is retired as it is.
    """
    if from_status == to_status:
        return _("The tablet already has this status.")
    if from_status == S.RETIRED:
        return _("A retired tablet is final: it cannot change status again.")
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, frozenset()):
        if from_status == S.IN_REPAIR and to_status == S.LOST:
            return _("A tablet in repair is with the repairer: close the repair first.")
        return _("A tablet cannot go from %(from)s to %(to)s.") % {
            "from": S(from_status).label,
            "to": S(to_status).label,
        }
    if to_status == S.RETIRED and awaiting_reset and from_status != S.LOST:
        return _(
            "This tablet still holds the last resident's data: record its reset "
            "(a factory reset, before it leaves the fleet) and then retire it."
        )
    return None


@transaction.atomic
def tablet_change_status(
    *, tablet: Tablet, to: str, by, note: str = "", at: dt.datetime | None = None
) -> TabletStatusChange:
    """Move a tablet along the status graph (ALLOWED_TRANSITIONS), keeping an audit trail.

    Leaving "lost" means the tablet was found: a note saying where is required.
    """
    if to not in S.values:
        raise TabletError(_("Unknown status."), code="transition_refused")
    locked = _locked(tablet)
    reason = transition_refusal(locked.status, to, awaiting_reset=locked.needs_reset)
    if reason is None and locked.status == S.LOST and not note.strip():
        reason = _("A lost tablet comes back only when found: say where in the note.")
    if reason is not None:
        raise TabletError(reason, code="transition_refused", reason=reason)
    change = TabletStatusChange.objects.create(
        tablet=locked,
        from_status=locked.status,
        to_status=to,
        at=at or timezone.now(),
        by=by,
        note=note,
    )
    locked.status = to
    locked.save(update_fields=["status"])
    tablet.status = to
    return change


@transaction.atomic
def tablet_check_out(
    *, tablet: Tablet, stop: Stop, by, at: dt.datetime | None = None
) -> TabletCheckout:
    """A tablet leaves for ``stop``. Refused if it is already out or not usable."""
    locked = _locked(tablet)
    if locked.status in (S.LOST, S.RETIRED, S.IN_REPAIR):
        raise TabletError(
            _("This tablet cannot leave the office (%(status)s).")
            % {"status": locked.get_status_display()},
            code="unavailable",
        )
    if TabletCheckout.objects.filter(tablet=locked, returned_at__isnull=True).exists():
        raise TabletError(_("This tablet is already out."), code="already_out")
    return TabletCheckout.objects.create(
        tablet=locked, stop=stop, out_at=at or timezone.now(), out_by=by
    )


@transaction.atomic
def tablet_return(*, tablet: Tablet, by, at: dt.datetime | None = None) -> TabletCheckout:
    """The tablet came back: close its open check-out."""
    locked = _locked(tablet)
    checkout = (
        TabletCheckout.objects.select_for_update()
        .filter(tablet=locked, returned_at__isnull=True)
        .first()
    )
    if checkout is None:
        raise TabletError(_("This tablet is not out."), code="not_out")
    checkout.returned_at = at or timezone.now()
    checkout.returned_by = by
    checkout.save(update_fields=["returned_at", "returned_by"])
    return checkout
