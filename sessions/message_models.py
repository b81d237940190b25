"""What leaves for residents, and what lets them come back: the message log, SMS opt-outs,
short personal links.

Kept apart from `sessions.models` (which imports them, so that Django registers them) to keep
each file readable; `sessions.messaging` writes these rows, the worker updates them.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    RETRYING = "retrying", _("will retry")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("not sent")


class MessageKind(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmation")
    WAITING = "waiting", _("waiting list")
    PROMOTED = "promoted", _("seat freed up")
    CANCELLED = "cancelled", _("cancellation receipt")
    STOP_CANCELLED = "stop_cancelled", _("stop cancelled")
    REMINDER = "reminder", _("reminder")
    BROADCAST = "broadcast", _("message to the stop")
    OTHER = "other", _("other")


class WorkerReason(models.TextChoices):
    """Why the worker itself did not send a message, or not yet: stored in `error` as these
    words (the log's "why"), shown to staff in French. Any other `error` is the provider's
    reason, in its own words."""

    TEXT_ERASED = "text erased", _("Text erased with a person's data")
    ANONYMISED = "registration anonymised", _("Registration anonymised")
    CANCELLED_SINCE = "registration cancelled since", _("Registration cancelled since")
    GIVEN_A_SEAT = "no longer on the waiting list", _("Given a seat since: no longer waiting")
    WORKSHOP_OVER = "workshop over", _("The workshop is over")
    WORKSHOP_BEGUN = "workshop already begun", _("The workshop has already begun")
    NOT_A_MOBILE = "not a mobile number: no SMS", _("Not a mobile number: no SMS sent")
    ABROAD = "number abroad: no SMS", _("Number outside France: no SMS sent")
    TOO_MANY_RECEIPTS = (
        "too many receipts to this contact today",
        _("Too many sign-up messages to this contact today: not sent"),
    )
    OPTED_OUT = "opted out (STOP or refused number)", _("SMS refused (STOP, or number refused)")
    NIGHT = "no SMS at night", _("No SMS at night: it will leave in the morning")


class OutboundMessageQuerySet(models.QuerySet):
    def pending(self) -> "OutboundMessageQuerySet":
        return self.filter(state__in=[MessageState.QUEUED, MessageState.RETRYING])

    def for_registration(self, registration) -> "OutboundMessageQuerySet":
        return self.filter(registration=registration).order_by("-created_at", "-pk")


class OutboundMessage(models.Model):
    """One message to one recipient by one channel, from the moment it is queued.

    A message about a registration is composed by the worker from the registration as it is
    then (`kind` and `params`); any other message (`registration` empty) carries its own
    `subject`, `body` and `html`. What was sent is kept in `subject` and `body` for staff.
    """

    registration = models.ForeignKey(
        "workshops.Registration",
        verbose_name=_("registration"),
        related_name="messages",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("message"), max_length=30, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The e-mail address or E.164 phone number; wiped with the registration's personal data.
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    params = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(blank=True)
    # Extra e-mail headers of a ready-made message, e.g. List-Unsubscribe (RFC 8058).
    headers = models.JSONField(default=dict, blank=True)
    # Same registration, channel and key: one message only (a reminder, a broadcast).
    dedupe_key = models.CharField(max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The provider's (or mail relay's) own words when it refused or failed.
    error = models.CharField(_("provider's reason"), max_length=500, blank=True)
    provider_id = models.CharField(max_length=100, blank=True, db_index=True)
    segments = models.PositiveSmallIntegerField(_("SMS segments"), null=True, blank=True)
    # Which worker run holds the message while it sends (see sessions.messaging.claim).
    claim = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "channel", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="one_message_per_registration_channel_and_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"

    @property
    def reason_display(self) -> str:
        """Why it did not leave (yet): the worker's reason in French, the provider's as is."""
        if self.error in WorkerReason.values:
            return WorkerReason(self.error).label
        return self.error

    @property
    def is_final(self) -> bool:
        return self.state in {
            MessageState.SENT,
            MessageState.DELIVERED,
            MessageState.FAILED,
            MessageState.SKIPPED,
        }


def phone_digest(phone: str) -> str:
    """A keyed hash of an E.164 number: opt-outs are checked without keeping the number."""
    return salted_hmac("workshops.sms-opt-out", phone, algorithm="sha256").hexdigest()


class SmsOptOut(models.Model):
    """A number that must receive no more SMS: the resident answered STOP, or the provider
    refused it for good."""

    class Reason(models.TextChoices):
        STOP = "stop", _("answered STOP")
        REFUSED = "refused", _("number refused by the provider")

    phone_digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self) -> str:
        return self.get_reason_display()

    @classmethod
    def blocks(cls, phone: str) -> bool:
        return cls.objects.filter(phone_digest=phone_digest(phone)).exists()

    @classmethod
    def of(cls, phone: str) -> "SmsOptOut | None":
        return cls.objects.filter(phone_digest=phone_digest(phone)).first() if phone else None

    @classmethod
    def among(cls, phones) -> frozenset[str]:
        """The numbers among these that must receive no SMS: one query."""
        digests = {phone_digest(phone): phone for phone in set(phones) if phone}
        if not digests:
            return frozenset()
        blocked = cls.objects.filter(phone_digest__in=digests).values_list(
            "phone_digest", flat=True
        )
        return frozenset(digests[digest] for digest in blocked)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShortLink(models.Model):
    """A short personal link (`/r/<token>`) for SMS; only the token's SHA-256 is stored.

    It names a registration at one `token_version`: bumping the registration's version
    revokes it, as it revokes the signed links.
    """

    token_digest = models.CharField(max_length=64, unique=True)
    registration = models.ForeignKey(
        "workshops.Registration", related_name="short_links", on_delete=models.CASCADE
    )
    token_version = models.PositiveIntegerField()
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")

    def __str__(self) -> str:
        return f"{self.registration_id} v{self.token_version}"


class Broadcast(models.Model):
    """A short message staff sent to every registrant of a stop, or of one of its workshops.

    `uuid` comes from the form that previewed it: sending the same form twice (a double
    click, a retried request) creates one broadcast only.
    """

    uuid = models.UUIDField(unique=True, editable=False)
    stop = models.ForeignKey(
        "mediation.Stop", verbose_name=_("stop"), related_name="+", on_delete=models.CASCADE
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        related_name="+",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    text = models.CharField(_("message"), max_length=300)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to a stop")
        verbose_name_plural = _("messages to stops")

    def __str__(self) -> str:
        return self.text
