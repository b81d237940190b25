"""Records a tablet sent and the server refused: what the coordination must put right.

A refused record is a resident who came and is not counted (the stop was given to another
mediator while she worked offline, the registration was cancelled or moved, the workshop was
not hers). The tablet says why on the person's card; this table lets the coordinators see it
too (sessions/refusals.py writes it, sessions/backoffice/refusals.py lists it).

It keeps what is needed to act, not the record: no note, no phone. The person's name is read
from the registration when there is one; for a walk-in, only the first name typed on the
tablet is kept (`walk_in_name`, cut to 30 characters). Rows go after REFUSED_RECORD_DAYS
(sessions.refusals.refused_records_purge), and with the registration's personal data
(sessions/privacy/registry.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

WALK_IN_NAME_LENGTH = 30


class RefusedRecord(models.Model):
    class Resolution(models.TextChoices):
        ACCEPTED_LATER = "accepted_later", _("accepted later")
        DISMISSED = "dismissed", _("marked as dealt with")

    uuid = models.UUIDField(_("record id"), unique=True, editable=False)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # CASCADE: a registration deleted leaves nobody to count; its erasure (an anonymisation,
    # not a deletion) deletes these rows through the privacy registry.
    registration = models.ForeignKey(
        "workshops.Registration",
        verbose_name=_("registration"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="refused_records",
    )
    # As the tablet sent it: a walk-in refused, or a registration deleted, has no row.
    registration_uuid = models.UUIDField(_("registration id sent"), null=True, blank=True)
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    walk_in_name = models.CharField(
        _("walk-in's first name"), max_length=WALK_IN_NAME_LENGTH, blank=True
    )
    reason = models.CharField(_("reason"), max_length=40)
    # What the tablet recorded; None when the record could not be read that far.
    present = models.BooleanField(_("present"), null=True)
    recorded_at = models.DateTimeField(_("recorded on the tablet at"), null=True)
    first_refused_at = models.DateTimeField(_("first refused at"))
    last_refused_at = models.DateTimeField(_("last refused at"))
    times = models.PositiveIntegerField(_("times sent"), default=1)
    resolved_at = models.DateTimeField(_("dealt with at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dealt with by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, blank=True
    )

    class Meta:
        ordering = ["-last_refused_at"]
        verbose_name = _("refused tablet record")
        verbose_name_plural = _("refused tablet records")
        indexes = [
            models.Index(fields=["resolved_at", "last_refused_at"]),
            models.Index(fields=["registration_uuid"]),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} ({self.reason})"
