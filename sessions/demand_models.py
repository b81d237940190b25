"""What residents and town halls ask of the tour: "Prévenez-moi" alerts and requests for a visit.

Both hold contact details: they are purged by `personal_data_purge` (alerts a year after they
were made or as soon as they are unsubscribed; requests a year after they were made).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mediation.models import Commune, Stop, StopSeries
from mediation.templatetags.french_dates import daydate, longdate
from sessions.sent_by_form import SentByFormQuerySet, submission_key_field


def new_alert_key() -> str:
    """The secret in an alert's links (confirm, unsubscribe): unguessable, one per alert."""
    return secrets.token_urlsafe(16)


class AlertRadius(models.IntegerChoices):
    KM_10 = 10, _("10 km")
    KM_20 = 20, _("20 km")
    KM_30 = 30, _("30 km")


class StopAlertQuerySet(SentByFormQuerySet):
    def active(self) -> "StopAlertQuerySet":
        return self.filter(confirmed_at__isnull=False)


class StopAlert(models.Model):
    """A resident who wants to be told when the van stops near their commune ("Prévenez-moi").

    Nothing is sent before the contact is confirmed (a code by SMS, a link by e-mail).
    Unsubscribing deletes the alert.
    """

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="+", on_delete=models.CASCADE
    )
    radius_km = models.PositiveSmallIntegerField(
        _("distance"), choices=AlertRadius.choices, default=AlertRadius.KM_20
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    key = models.CharField(max_length=64, unique=True, default=new_alert_key, editable=False)
    # A salted hash of the code sent by SMS, never the code itself.
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    code_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    consent_at = models.DateTimeField(_("consent given at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The same form sent again leads to this alert's code page, not to a second code.
    submission_key = submission_key_field()

    objects = StopAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stop alert")
        verbose_name_plural = _("stop alerts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="stop_alert_has_a_contact"
            ),
            models.UniqueConstraint(
                fields=["commune", "phone"], condition=~Q(phone=""), name="one_alert_per_phone"
            ),
            models.UniqueConstraint(
                fields=["commune", "email"], condition=~Q(email=""), name="one_alert_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune.name} ({self.radius_km} km)"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def by_sms(self) -> bool:
        return bool(self.phone)


class StopAlertDelivery(models.Model):
    """One stop announced to one alert: the unique pair is what makes "never twice" hold."""

    alert = models.ForeignKey(StopAlert, related_name="deliveries", on_delete=models.CASCADE)
    stop = models.ForeignKey(Stop, related_name="+", on_delete=models.CASCADE)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "stop"], name="one_delivery_per_alert_stop")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.stop_id}"


def stop_summary(stop: Stop) -> str:
    """A stop in one line for staff: its date, commune and place."""
    return f"{capfirst(longdate(stop.date))} – {stop.commune.name}, {stop.place_name}"


def series_summary(series: StopSeries) -> str:
    """A series in one line for staff: where, on which rule, between which dates."""
    return (
        f"{series.commune.name}, {series.place_name}: {series.rule_label()} "
        f"({daydate(series.start_date)} – {daydate(series.end_date)})"
    )


class RequesterKind(models.TextChoices):
    TOWN_HALL = "mairie", _("a town hall")
    ASSOCIATION = "association", _("an association")
    RESIDENT = "habitant", _("a resident")


class BusRequestStatus(models.TextChoices):
    NEW = "new", _("new")
    PLANNED = "planned", _("planned")
    DECLINED = "declined", _("declined")


class BusRequestQuerySet(SentByFormQuerySet):
    def pending(self) -> "BusRequestQuerySet":
        return self.filter(status=BusRequestStatus.NEW)


class BusRequest(models.Model):
    """A request for the van to come ("Faites venir le bus"), triaged by a coordinator.

    A planned request names what answers it: one stop, or a series of recurring stops.
    """

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="bus_requests", on_delete=models.PROTECT
    )
    requester_kind = models.CharField(_("who asks"), max_length=20, choices=RequesterKind.choices)
    organisation = models.CharField(_("town hall or association"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    expected_people = models.PositiveSmallIntegerField(_("people expected"), null=True, blank=True)
    venue = models.CharField(_("room or parking available"), max_length=300, blank=True)
    preferred_period = models.CharField(_("preferred period"), max_length=200, blank=True)
    needs = models.TextField(_("needs"), max_length=1000, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=20, choices=BusRequestStatus.choices, default=BusRequestStatus.NEW
    )
    stop = models.ForeignKey(
        Stop,
        verbose_name=_("stop that answers it"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    series = models.ForeignKey(
        StopSeries,
        verbose_name=_("series that answers it"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The same form sent again makes no second request (sessions/sent_by_form.py).
    submission_key = submission_key_field()

    objects = BusRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request for a visit")
        verbose_name_plural = _("requests for a visit")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            # Two sendings of one form at the same instant: the second finds the first's.
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="one_bus_request_per_form",
            )
        ]

    def __str__(self) -> str:
        who = self.organisation or self.get_requester_kind_display()
        # French typography: a no-break space before the colon.
        return f"{self.commune.name}\u00a0: {who}"

    def answer_label(self) -> str:
        """What answers a planned request, in a few words for the back-office list."""
        answers = []
        if self.stop_id:
            answers.append(stop_summary(self.stop))
        if self.series_id:
            answers.append(series_summary(self.series))
        return " · ".join(answers)
