"""The way out for every message to residents: logged, queued after commit, sent by a worker.

Any app sends through two helpers, called inside its own transaction:
- `notify_after_commit(registrations, kind=…)`: a message about registrations, composed by
  the worker (`sessions.notifications`) for each channel a registration has;
- `enqueue_after_commit(channel=…, recipient=…, body=…)`: any other message, ready-made.
Both write `OutboundMessage` rows (the message log) in the caller's transaction, so a
rolled-back sign-up leaves no message, and enqueue one task (`send_outbound_messages`) once
it commits (with the database queue, in the same transaction: the task row commits with the
messages). Nothing is composed, rendered or sent inside the request: the worker does it.
The task claims each message with a conditional UPDATE, so two workers (or a task enqueued
twice) never send a message twice; e-mails of one task share one connection.
A temporary failure (timeout, 5xx, no credit) is retried with backoff; a permanent one
(refused number, malformed address) or too many attempts ends in FAILED with the
provider's reason, which staff see in the log.
"""

import datetime as dt
import logging
import smtplib
import socket
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mediation.mail import default_mailer
from mediation.models import Branding
from mediation.single_insert import insert
from mediation.task_api import (
    DEFAULT_TASK_BACKEND_ALIAS,
    default_task_backend,
    task,
    task_backends,
)
from sessions import notifications
from sessions.contacts import can_receive_sms, is_abroad
from sessions.message_models import (
    Channel,
    MessageKind,
    MessageState,
    OutboundMessage,
    SmsOptOut,
    WorkerReason,
    phone_digest,
)
from sessions.models import RegistrationStatus
from sessions.public.ratelimit import contact_rate_limit_allows
from sessions.sms import SmsError, SmsMessage, get_sms_backend

logger = logging.getLogger(__name__)

# A message still "sending" this long after its claim belonged to a worker that died.
STALE_CLAIM = dt.timedelta(minutes=15)
# A message "queued" this long without a worker taking it lost its task (a queue outage).
LOST_TASK = dt.timedelta(minutes=5)

# Outside settings.SMS_DAY_STARTS:00–SMS_DAY_ENDS:00 (Europe/Paris), an SMS waits for the
# morning unless it answers what its recipient did a moment ago (`answers_just_now`).
# What a resident's own action gets at once, even at night: the receipt of a sign-up, a
# cancellation, or a code to type. Anything else (a seat freed up by someone else, a
# reminder, a cancelled stop, a message to the stop, a stop alert, a retry) waits.
ANSWERS_THE_RECIPIENT = frozenset(
    {MessageKind.CONFIRMED, MessageKind.WAITING, MessageKind.CANCELLED}
)
JUST_NOW = dt.timedelta(minutes=15)

# Anyone may sign up anyone: a stranger typing a victim's number or e-mail into sign-ups for
# workshop after workshop would have the site text or mail them each time. Past this many
# receipts a day to one contact, by one channel, the rest are not sent (the registrations
# stand; staff see why in the messages' log). A couple sharing a phone, signing up for a
# series of three workshops each, stays under it.
RECEIPTS_PER_CONTACT_A_DAY = 8


class TemporaryError(Exception):
    pass


def notify_after_commit(
    registrations: Iterable,
    *,
    kind: str,
    params: dict | None = None,
    dedupe_key: str = "",
) -> list[OutboundMessage]:
    """Log and queue one message of `kind` per registration and channel (e-mail, SMS).

    `params` reach the composer (`reason` of a cancelled stop, `days` of a reminder,
    `text` of a broadcast). With a `dedupe_key`, a registration gets that message once
    per channel whatever happens (the database refuses a second one).
    """
    messages = []
    for registration in registrations:
        for channel, recipient in (
            (Channel.EMAIL, registration.email),
            (Channel.SMS, registration.phone),
        ):
            if recipient:
                messages.append(
                    OutboundMessage(
                        registration=registration,
                        kind=kind,
                        channel=channel,
                        recipient=recipient,
                        params=params or {},
                        dedupe_key=dedupe_key,
                    )
                )
    return _log_and_schedule(messages)


def enqueue_after_commit(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    html: str = "",
    headers: dict[str, str] | None = None,
    kind: str = MessageKind.OTHER,
    registration=None,
    answers_the_recipient: bool = False,
) -> OutboundMessage:
    """Log and queue one ready-made message (an SMS `body`, or an e-mail with `subject` and
    any extra `headers`, such as List-Unsubscribe).

    An SMS leaves only in the daytime, unless `answers_the_recipient` (a code they asked
    for a moment ago): see `answers_just_now`."""
    (message,) = _log_and_schedule(
        [
            OutboundMessage(
                channel=channel,
                recipient=recipient,
                body=body,
                subject=subject,
                html=html,
                headers=headers or {},
                kind=kind,
                registration=registration,
                params={"answers_the_recipient": True} if answers_the_recipient else {},
            )
        ]
    )
    return message


def _log_and_schedule(messages: list[OutboundMessage]) -> list[OutboundMessage]:
    if not messages:
        return []
    # No savepoint inside the caller's transaction (two round trips for nothing: a failed
    # insert fails the caller's write anyway); a transaction of its own outside one.
    with transaction.atomic(savepoint=False):
        if len(messages) == 1:  # a sign-up's confirmation: the INSERT compiled once
            created = [insert(messages[0])]
        else:
            created = OutboundMessage.objects.bulk_create(messages)
        ids = [message.pk for message in created]
        if _queue_is_this_database():
            # The queue is a table of this database: the task row commits (or rolls back)
            # with the messages, in the caller's transaction, and no worker can see it
            # before. One commit for the whole sign-up instead of two.
            enqueue_delivery(ids)
        else:
            transaction.on_commit(lambda: enqueue_delivery(ids), robust=True)
    return created


def _queue_is_this_database() -> bool:
    from django_tasks_db import DatabaseBackend

    # `default_task_backend` is a proxy: ask the handler for the backend itself.
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def enqueue_delivery(message_ids: list[int], *, run_after: dt.datetime | None = None) -> None:
    """Hand messages to the task queue; if the queue is down, the sweeper finds them later."""
    delivery = send_outbound_messages
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # `manage.py send_pending_messages` retries them when due
        delivery = delivery.using(run_after=run_after)
    try:
        delivery.enqueue(message_ids)
    except Exception:
        logger.exception("Could not queue messages %s; the sweeper will", message_ids)


@task()
def send_outbound_messages(message_ids: list[int]) -> dict[str, int]:
    """The worker's task: send the messages that are still due, one e-mail connection."""
    return deliver(message_ids)


def claim(message_ids: list[int], *, now: dt.datetime | None = None) -> list[OutboundMessage]:
    """Take the due messages among `message_ids` for this run, atomically.

    The UPDATE's condition is re-checked row by row by the database, so when two workers
    claim the same message at once, one gets it and the other gets nothing.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    due = Q(state=MessageState.QUEUED) | Q(state=MessageState.RETRYING, next_attempt_at__lte=now)
    OutboundMessage.objects.filter(due, pk__in=message_ids).update(
        state=MessageState.SENDING, claim=token, attempts=F("attempts") + 1, updated_at=now
    )
    return list(
        OutboundMessage.objects.filter(claim=token, state=MessageState.SENDING)
        .select_related("registration__workshop__stop__commune", "registration__workshop__module")
        .order_by("pk")
    )


# What may still be said to someone whose registration is cancelled: that it is.
ABOUT_A_CANCELLATION = frozenset({MessageKind.CANCELLED, MessageKind.STOP_CANCELLED})


def lost_its_words(kind: str, params: dict | None) -> bool:
    """A copy of a message to a stop whose text an erasure wiped (sessions.privacy): sent
    now, it would say nothing but the stop's date."""
    return kind == MessageKind.BROADCAST and not (params or {}).get("text")


def no_longer_due(message: OutboundMessage) -> str:
    """Why a message about a registration must not leave any more, or "".

    A message waits in the queue, and a retry waits longer (up to an hour, or a night, or
    until staff send it again): meanwhile the resident may have cancelled, and a reminder
    with "Cancel: <link>" or a "seat freed up" after their own cancellation receipt would be
    wrong; once the workshop is over, no message about it is news. Anonymised
    registrations get nothing.
    """
    if lost_its_words(message.kind, message.params):
        return WorkerReason.TEXT_ERASED
    registration = message.registration
    if registration is None:
        return ""
    if registration.anonymised_at is not None:
        return WorkerReason.ANONYMISED
    if (
        registration.status == RegistrationStatus.CANCELLED
        and message.kind not in ABOUT_A_CANCELLATION
    ):
        return WorkerReason.CANCELLED_SINCE
    if message.kind == MessageKind.WAITING and registration.status != RegistrationStatus.WAITING:
        # Given a seat since: "you are on the waiting list" after "a seat freed up" misleads.
        return WorkerReason.GIVEN_A_SEAT
    now = timezone.now()
    if now >= registration.workshop.ends_at:
        return WorkerReason.WORKSHOP_OVER
    if message.kind == MessageKind.REMINDER and now >= registration.workshop.starts_at:
        return WorkerReason.WORKSHOP_BEGUN
    return ""


def deliver(message_ids: list[int]) -> dict[str, int]:
    messages = claim(message_ids)
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    if not messages:
        return counts
    due = []
    for message in messages:
        if reason := no_longer_due(message):
            _finish(message, MessageState.SKIPPED, error=reason, next_attempt_at=None)
            counts["skipped"] += 1
        else:
            due.append(message)
    messages = due
    branding = Branding.load()
    emails = [m for m in messages if m.channel == Channel.EMAIL]
    texts = [m for m in messages if m.channel == Channel.SMS]
    if emails:
        _send_emails(emails, branding, counts)
    if texts:
        backend = get_sms_backend()
        for message in texts:
            _send_sms(message, backend, branding, counts)
    return counts


def _send_emails(messages: list[OutboundMessage], branding: Branding, counts) -> None:
    connection = default_mailer()
    try:
        connection.open()
    except Exception as error:  # the relay is down or silent: every e-mail waits
        for message in messages:
            _record_failure(message, _email_reason(error), temporary=True, counts=counts)
        return
    try:
        for index, message in enumerate(messages):
            if _too_many_receipts(message, counts):
                continue
            try:
                composed = notifications.compose(message, branding)
            except Exception as error:
                logger.exception("Message %s could not be composed", message.pk)
                _record_failure(message, f"composition: {error}", temporary=False, counts=counts)
                continue
            email = EmailMultiAlternatives(
                subject=composed.subject,
                body=composed.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.recipient],
                reply_to=[branding.contact_email] if branding.contact_email else None,
                headers=message.headers or None,
                connection=connection,
            )
            if composed.html:
                email.attach_alternative(composed.html, "text/html")
            for name, content, mimetype in composed.attachments:
                email.attach(name, content, mimetype)
            try:
                email.send()
            except Exception as error:
                _record_failure(
                    message,
                    _email_reason(error),
                    temporary=_email_is_temporary(error),
                    counts=counts,
                    composed_subject=composed.subject,
                    composed_body=composed.text,
                )
                if isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout):
                    # The relay went away: the rest of the batch waits for the retry.
                    for rest in messages[index + 1 :]:
                        _record_failure(rest, _email_reason(error), temporary=True, counts=counts)
                    return
                continue
            _record_sent(message, subject=composed.subject, body=composed.text, counts=counts)
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)


def _email_is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True  # timeouts, disconnections, network errors


def _email_reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def is_daytime(moment: dt.datetime) -> bool:
    return settings.SMS_DAY_STARTS <= timezone.localtime(moment).hour < settings.SMS_DAY_ENDS


def next_morning(moment: dt.datetime) -> dt.datetime:
    """The next SMS_DAY_STARTS (8:00) in Europe/Paris after a moment of the night, DST
    changes included."""
    local = timezone.localtime(moment)
    day = local.date() + dt.timedelta(days=1 if local.hour >= settings.SMS_DAY_ENDS else 0)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(settings.SMS_DAY_STARTS)))


def answers_just_now(message: OutboundMessage, now: dt.datetime) -> bool:
    """The answer to what the recipient did a moment ago: a sign-up's receipt, a code."""
    answers = message.kind in ANSWERS_THE_RECIPIENT or (message.params or {}).get(
        "answers_the_recipient"
    )
    return bool(answers) and message.created_at >= now - JUST_NOW


def _too_many_receipts(message: OutboundMessage, counts) -> bool:
    """Counts this receipt to its contact; True (and the message skipped) past the day's
    allowance. Other messages (reminders, changes staff made) are not counted."""
    if message.kind not in ANSWERS_THE_RECIPIENT or not message.recipient:
        return False
    if contact_rate_limit_allows(
        scope=f"receipts-{message.channel}",
        contact=message.recipient,
        limit=RECEIPTS_PER_CONTACT_A_DAY,
        window=24 * 3600,
    ):
        return False
    _finish(message, MessageState.SKIPPED, error=WorkerReason.TOO_MANY_RECEIPTS)
    counts["skipped"] += 1
    return True


def _wait_for_the_morning(message: OutboundMessage, now: dt.datetime, counts) -> None:
    """An SMS at night: back in the queue for 8:00, without spending one of its attempts."""
    morning = next_morning(now)
    _finish(
        message,
        MessageState.RETRYING,
        next_attempt_at=morning,
        attempts=F("attempts") - 1,
        error=WorkerReason.NIGHT,
    )
    enqueue_delivery([message.pk], run_after=morning)
    counts["retrying"] += 1


def _send_sms(message: OutboundMessage, backend, branding: Branding, counts) -> None:
    now = timezone.now()
    if not is_daytime(now) and not answers_just_now(message, now):
        _wait_for_the_morning(message, now, counts)
        return
    if not can_receive_sms(message.recipient):
        # A landline, given for staff to call back: the provider would bill or refuse it. A
        # number abroad: SMS go to France only (see contacts.SMS_REGIONS).
        reason = WorkerReason.ABROAD if is_abroad(message.recipient) else WorkerReason.NOT_A_MOBILE
        _finish(message, MessageState.SKIPPED, error=reason)
        counts["skipped"] += 1
        return
    if SmsOptOut.blocks(message.recipient):
        _finish(message, MessageState.SKIPPED, error=WorkerReason.OPTED_OUT)
        counts["skipped"] += 1
        return
    if _too_many_receipts(message, counts):
        return
    try:
        composed = notifications.compose(message, branding)
    except Exception as error:
        logger.exception("Message %s could not be composed", message.pk)
        _record_failure(message, f"composition: {error}", temporary=False, counts=counts)
        return
    try:
        provider_id = backend.send(SmsMessage(to=message.recipient, body=composed.sms))
    except SmsError as error:
        if error.refused_number:
            SmsOptOut.objects.get_or_create(
                phone_digest=phone_digest(message.recipient),
                defaults={"reason": SmsOptOut.Reason.REFUSED},
            )
        _record_failure(
            message,
            error.reason,
            temporary=error.temporary,
            counts=counts,
            composed_body=composed.sms,
        )
        return
    _record_sent(
        message,
        body=composed.sms,
        counts=counts,
        provider_id=provider_id or "",
        segments=composed.sms_segments,
    )


def _finish(message: OutboundMessage, state: str, **fields) -> None:
    """Write the outcome, only while this run still holds the claim."""
    OutboundMessage.objects.filter(pk=message.pk, claim=message.claim).update(
        state=state, updated_at=timezone.now(), **fields
    )


def _record_sent(message, *, counts, subject="", body="", provider_id="", segments=None):
    fields = {"sent_at": timezone.now(), "error": "", "next_attempt_at": None}
    if message.registration_id:  # ready-made messages keep what they were queued with
        fields |= {"subject": subject[:255], "body": body}
    _finish(
        message,
        MessageState.SENT,
        provider_id=provider_id[:100],
        segments=segments,
        **fields,
    )
    counts["sent"] += 1


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64… times MESSAGES_RETRY_SECONDS after the n-th failed attempt."""
    return dt.timedelta(seconds=settings.MESSAGES_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def _record_failure(
    message, reason, *, temporary, counts, composed_subject="", composed_body=""
) -> None:
    fields = {"error": reason[:500]}
    if message.registration_id and composed_body:
        fields |= {"subject": composed_subject[:255], "body": composed_body}
    if temporary and message.attempts < settings.MESSAGES_MAX_ATTEMPTS:
        next_at = timezone.now() + retry_delay(message.attempts)
        _finish(message, MessageState.RETRYING, next_attempt_at=next_at, **fields)
        enqueue_delivery([message.pk], run_after=next_at)
        counts["retrying"] += 1
        logger.warning("Message %s failed (%s); retry at %s", message.pk, reason, next_at)
    else:
        _finish(message, MessageState.FAILED, next_attempt_at=None, **fields)
        counts["failed"] += 1
        logger.error("Message %s failed for good: %s", message.pk, reason)


def messages_requeue_due(*, now: dt.datetime | None = None, batch: int = 100) -> int:
    """For cron: queue again what is due and has no task (retries without a deferring
    queue, tasks lost in an outage, claims of a worker that died). Returns how many."""
    now = now or timezone.now()
    OutboundMessage.objects.filter(
        state=MessageState.SENDING, updated_at__lt=now - STALE_CLAIM
    ).update(state=MessageState.RETRYING, next_attempt_at=now, claim=None)
    due = (
        OutboundMessage.objects.filter(
            Q(state=MessageState.RETRYING, next_attempt_at__lte=now)
            | Q(state=MessageState.QUEUED, created_at__lt=now - LOST_TASK)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(due)
    for start in range(0, len(ids), batch):
        enqueue_delivery(ids[start : start + batch])
    return len(ids)


# Failed messages older than this are not sent again: their news is stale.
SEND_AGAIN_WITHIN = dt.timedelta(days=7)


def messages_to_send_again(*, now: dt.datetime) -> list[int]:
    """The ids of the messages `messages_send_again` would queue (and the page counts)."""
    failed = OutboundMessage.objects.filter(
        state=MessageState.FAILED, created_at__gte=now - SEND_AGAIN_WITHIN
    )
    return [
        pk
        for pk, kind, params in failed.values_list("pk", "kind", "params")
        if not (params or {}).get("answers_the_recipient") and not lost_its_words(kind, params)
    ]


def messages_send_again(*, now: dt.datetime | None = None) -> int:
    """Queue again the messages that failed for good in the last week; returns how many.

    For staff, once the cause is fixed (a wrong API key, no SMS credit, the relay down for
    longer than the retries last). Each is claimed by one conditional UPDATE, so a double
    click queues it once; the worker checks again that it is still due (`no_longer_due`).
    A code the recipient asked for at the moment (`answers_the_recipient`) has expired since:
    not sent again; nor is a copy whose words an erasure wiped (`lost_its_words`).
    """
    now = now or timezone.now()
    ids = messages_to_send_again(now=now)
    token = uuid.uuid4()
    with transaction.atomic():
        OutboundMessage.objects.filter(pk__in=ids, state=MessageState.FAILED).update(
            state=MessageState.RETRYING,
            next_attempt_at=now,
            attempts=0,
            claim=token,
            updated_at=now,
        )
        ids = list(OutboundMessage.objects.filter(claim=token).values_list("pk", flat=True))

        def enqueue() -> None:
            for start in range(0, len(ids), 100):
                enqueue_delivery(ids[start : start + 100])

        transaction.on_commit(enqueue, robust=True)
    return len(ids)
