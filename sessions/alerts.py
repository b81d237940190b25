"""The "Prévenez-moi" alerts: residents told when the van stops near their commune.

A resident leaves a phone number or an e-mail and a distance. Nothing is sent before the
contact is confirmed (a six-digit code by SMS, a link by e-mail). Then each stop published
within the distance, after the confirmation, is announced once: the unique (alert, stop)
delivery row is written before the message leaves, so a second run, a second save of the
stop or two workers at once never send it twice. Unsubscribing deletes the alert.
"""

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from mediation.errors import DomainError
from mediation.models import Commune, Stop
from sessions import demand_notifications
from sessions.contacts import normalise_email, normalise_phone
from sessions.demand_models import AlertRadius, StopAlert, StopAlertDelivery
from sessions.message_models import OutboundMessage

logger = logging.getLogger(__name__)

CODE_VALID_FOR = dt.timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
# Unconfirmed alerts are dropped after this; confirmed ones after a year.
UNCONFIRMED_KEPT_FOR = dt.timedelta(days=2)
ALERT_KEPT_FOR = dt.timedelta(days=365)
# Stops made elsewhere than the back office (series, imports) are caught by the cron command
# within this window after they were created.
CATCH_UP_WINDOW = dt.timedelta(days=14)


class AlertError(DomainError):
    """An alert that cannot be made or confirmed."""


def _code_hash(alert: StopAlert, code: str) -> str:
    # SHA-1 named, not left to Django's default, which a coming Django changes to SHA-256:
    # the codes sent just before such an upgrade would no longer match their kept hash. A
    # six-digit code lives 30 minutes and allows five tries: HMAC-SHA-1 is not its weak point.
    return salted_hmac("stop-alert-code", f"{alert.key}:{code}", algorithm="sha1").hexdigest()


def _new_code(alert: StopAlert, now: dt.datetime) -> str:
    """A fresh six-digit code for the alert (unsaved): only its salted hash is kept."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    alert.code_hash = _code_hash(alert, code)
    alert.code_sent_at = now
    return code


@transaction.atomic
def stop_alert_create(
    *,
    commune: Commune,
    radius_km: int,
    phone: str = "",
    email: str = "",
    consent: bool,
    now: dt.datetime | None = None,
    submission_key: str = "",
) -> StopAlert:
    """Record the wish and send the confirmation (a code by SMS, a link by e-mail).

    The same form sent again (`submission_key`, sessions/sent_by_form.py) gets back the alert
    it made, with the distance last chosen, and nothing is sent again: a second code would
    make the first one wrong, and the first SMS is the one that comes first."""
    now = now or timezone.now()
    phone, email = normalise_phone(phone), normalise_email(email)
    if not consent:
        raise AlertError("no_consent")
    if bool(phone) == bool(email):
        raise AlertError("one_contact")
    if radius_km not in AlertRadius.values:
        raise AlertError("bad_radius")
    contact = {"phone": phone} if phone else {"email": email}
    existing = StopAlert.objects.select_for_update().filter(commune=commune, **contact).first()
    if existing is not None and submission_key and existing.submission_key == submission_key:
        if existing.radius_km != radius_km:  # corrected, and sent again
            existing.radius_km = radius_km
            existing.save(update_fields=["radius_km"])
        return existing
    if existing is not None and existing.is_confirmed:
        raise AlertError("already_subscribed")
    if existing is not None:
        # Asked again before confirming (a lost code): start afresh, with a new secret.
        existing.delete()
    alert = StopAlert(
        commune=commune,
        radius_km=radius_km,
        consent_at=now,
        submission_key=submission_key,
        **contact,
    )
    code = _new_code(alert, now) if phone else ""
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        # The same form sent at the same instant: the first sending's alert, now committed.
        same_form = stop_alert_sent_by_form(
            commune=commune, submission_key=submission_key, **contact
        )
        if same_form is not None:
            return same_form
        raise AlertError("already_subscribed") from None
    # Queued in this transaction: nothing leaves if it rolls back (sessions.messaging).
    demand_notifications.alert_confirmation(alert, code)
    return alert


def stop_alert_sent_by_form(
    *, commune: Commune, submission_key: str, phone: str = "", email: str = ""
) -> StopAlert | None:
    """The alert that this very form page made for this contact, if any (its code sent)."""
    phone, email = normalise_phone(phone), normalise_email(email)
    contact = {"phone": phone} if phone else {"email": email}
    return StopAlert.objects.sent_by_form(submission_key).filter(commune=commune, **contact).first()


def stop_alert_code_resend(
    *, alert: StopAlert, now: dt.datetime | None = None, submission_key: str = ""
) -> StopAlert:
    """A new code for an alert by SMS whose code did not come (or expired, or was mistyped
    too often): the old code stops working, the attempts start again. The caller limits how
    often (per client and per phone, as for the first code).

    The alert keeps the digest of the "Code pas reçu ?" form that asked (`submission_key`):
    that form sent again sends nothing, since a third code would make the second wrong."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = StopAlert.objects.select_for_update().get(pk=alert.pk)
        if not alert.by_sms:
            raise AlertError("not_by_sms")
        if alert.is_confirmed:
            raise AlertError("already_subscribed")
        if submission_key and alert.submission_key == submission_key:
            return alert
        code = _new_code(alert, now)
        alert.failed_attempts = 0
        alert.submission_key = submission_key
        alert.save(update_fields=["code_hash", "code_sent_at", "failed_attempts", "submission_key"])
        demand_notifications.alert_confirmation(alert, code)
    return alert


def stop_alert_confirm(
    *, alert: StopAlert, code: str | None = None, now: dt.datetime | None = None
) -> StopAlert:
    """Confirm the contact: the SMS code for a phone, the link itself for an e-mail."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = StopAlert.objects.select_for_update().get(pk=alert.pk)
        error = None if alert.is_confirmed else _code_error(alert, code, now)
        if error == "wrong_code":
            # Counted, and committed: the error is raised once the block is closed.
            alert.failed_attempts += 1
            alert.save(update_fields=["failed_attempts"])
        elif error is None and not alert.is_confirmed:
            alert.confirmed_at = now
            alert.code_hash = ""
            alert.save(update_fields=["confirmed_at", "code_hash"])
    if error:
        raise AlertError(error)
    return alert


def _code_error(alert: StopAlert, code: str | None, now: dt.datetime) -> str | None:
    if not alert.by_sms:
        return None  # the e-mailed link was the proof
    if alert.failed_attempts >= MAX_CODE_ATTEMPTS:
        return "too_many_attempts"
    if alert.code_sent_at is None or now - alert.code_sent_at > CODE_VALID_FOR:
        return "expired"
    given = "".join(char for char in (code or "") if char.isdigit())
    if not constant_time_compare(_code_hash(alert, given), alert.code_hash):
        return "wrong_code"
    return None


@transaction.atomic
def stop_alert_unsubscribe(*, alert: StopAlert) -> None:
    """Stop the alert for good: the alert, its contact and its messages' text are wiped."""
    forget_contact_in_message_log(alert.phone, alert.email)
    StopAlert.objects.filter(pk=alert.pk).delete()


def forget_contact_in_message_log(*contacts: str) -> int:
    """Blank the messages sent to these contacts outside any registration (alerts, requests).

    The log keeps what, when, by which channel and its state; not to whom nor the text.
    """
    contacts = tuple(contact for contact in contacts if contact)
    if not contacts:
        return 0
    return OutboundMessage.objects.filter(registration__isnull=True, recipient__in=contacts).update(
        recipient="", subject="", body="", html="", params={}, headers={}
    )


def stop_alerts_send(*, stop: Stop, today: dt.date | None = None) -> int:
    """Announce a published stop to every confirmed alert within its distance, once each.

    Called when a stop is saved in the back office; `send_stop_alerts` (cron) catches the
    stops made elsewhere (stop_alerts_send_due), by the same rules (_announce). Only alerts
    confirmed before the stop was published count: the stops already on the commune page
    when the resident asked are no news. Returns how many messages were sent.
    """
    today = today or timezone.localdate()
    stop = Stop.objects.select_related("commune").get(pk=stop.pk)
    if stop.is_cancelled or stop.date < today:
        return 0
    return _announce([stop])


def _deliver(alert: StopAlert, stop: Stop, distance: float) -> int:
    """Announce the stop to the alert once: 1 if sent now, 0 if it had been already.

    A message that cannot be made is logged and left for the next hourly run: it must not
    keep the other residents from being told.
    """
    try:
        # The delivery row and the queued message commit together, or not at all.
        with transaction.atomic():
            StopAlertDelivery.objects.create(alert=alert, stop=stop)
            demand_notifications.alert_new_stop(alert, stop, distance_km=distance)
    except IntegrityError:
        return 0  # another run announced it first
    except Exception:
        logger.exception(
            "Stop alert %s: stop %s not announced, tried again next run", alert.pk, stop.pk
        )
        return 0
    return 1


def stop_alerts_send_due(*, now: dt.datetime | None = None) -> int:
    """Announce every upcoming stop published recently that some alert has not heard of."""
    now = now or timezone.now()
    stops = (
        Stop.objects.upcoming(timezone.localdate(now))
        .not_cancelled()
        .filter(created_at__gte=now - CATCH_UP_WINDOW)
        .select_related("commune")
        .order_by("date", "start_time", "pk")
    )
    return _announce(list(stops))


def _announce(stops: list[Stop]) -> int:
    """Tell each confirmed alert within its distance of these stops, once per stop.

    The rules of both paths (a stop saved, the hourly catch-up): only alerts confirmed
    before a stop was published count, and never twice. The confirmed alerts and the
    deliveries already made are read once, whatever the number of stops (a series planned
    in one go is hundreds of new stops); only the messages sent cost writes.
    """
    if not stops:
        return 0
    alerts = list(
        StopAlert.objects.active()
        .filter(confirmed_at__lte=max(stop.created_at for stop in stops))
        .select_related("commune")
        .order_by("pk")
    )
    if not alerts:
        return 0
    delivered = set(
        StopAlertDelivery.objects.filter(stop__in=[stop.pk for stop in stops]).values_list(
            "alert_id", "stop_id"
        )
    )
    distances: dict[tuple[int, int], float] = {}  # between communes, many stops share them
    sent = 0
    for stop in stops:
        for alert in alerts:
            if alert.confirmed_at > stop.created_at or (alert.pk, stop.pk) in delivered:
                continue
            pair = (stop.commune_id, alert.commune_id)
            if pair not in distances:
                distances[pair] = stop.commune.distance_km(alert.commune)
            if distances[pair] <= alert.radius_km:
                sent += _deliver(alert, stop, distances[pair])
    return sent


def stop_alerts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete alerts a year after they were made, and unconfirmed ones after two days."""
    now = now or timezone.now()
    old = StopAlert.objects.filter(created_at__lt=now - ALERT_KEPT_FOR)
    unconfirmed = StopAlert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT_FOR
    )
    expired = old | unconfirmed
    for phone, email in expired.values_list("phone", "email"):
        forget_contact_in_message_log(phone, email)
    _total, by_model = expired.delete()
    return by_model.get(StopAlert._meta.label, 0)
