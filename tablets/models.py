"""The fleet of lending tablets that residents use in the van."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mediation.templatetags.french_dates import longdatetime


class TabletStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("in service")
    CHARGING = "charging", _("charging")
    IN_REPAIR = "in_repair", _("in repair")
    LOST = "lost", _("lost")
    RETIRED = "retired", _("retired")


class HolderKind(models.TextChoices):
    VAN = "van", _("in the van")
    OFFICE = "office", _("at the office")
    MEDIATOR = "mediator", _("a mediator")


class TabletQuerySet(models.QuerySet):
    def in_service(self) -> "TabletQuerySet":
        return self.filter(status=TabletStatus.IN_SERVICE)

    def awaiting_reset(self) -> "TabletQuerySet":
        return self.filter(reset_pending_since__isnull=False)

    def ready_for_resident(self) -> "TabletQuerySet":
        """Tablets that may be handed to the next resident: in service and wiped since last use."""
        return self.in_service().filter(reset_pending_since__isnull=True)

    def active(self) -> "TabletQuerySet":
        """Tablets still part of the fleet (not retired, not lost)."""
        return self.exclude(status__in=[TabletStatus.RETIRED, TabletStatus.LOST])

    def warranty_ending(self, *, today: dt.date, within_days: int = 60) -> "TabletQuerySet":
        return self.active().filter(
            warranty_end__gte=today, warranty_end__lte=today + dt.timedelta(days=within_days)
        )

    def with_open_checkout(self) -> "TabletQuerySet":
        open_checkouts = TabletCheckout.objects.filter(
            tablet=OuterRef("pk"), returned_at__isnull=True
        )
        return self.annotate(is_out=Exists(open_checkouts))


class Tablet(models.Model):
    asset_tag = models.CharField(_("asset tag"), max_length=30, unique=True)
    serial_number = models.CharField(_("serial number"), max_length=100, unique=True)
    make = models.CharField(_("make"), max_length=100)
    model_name = models.CharField(_("model"), max_length=100)
    os_name = models.CharField(_("operating system"), max_length=50)
    os_version = models.CharField(_("OS version"), max_length=30)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    warranty_end = models.DateField(_("end of warranty"), null=True, blank=True)
    # Changed only through services.tablet_change_status, which enforces the transition graph.
    status = models.CharField(
        _("status"), max_length=20, choices=TabletStatus.choices, default=TabletStatus.IN_SERVICE
    )
    holder_kind = models.CharField(
        _("kept"), max_length=20, choices=HolderKind.choices, default=HolderKind.OFFICE
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator holding it"),
        related_name="held_tablets",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # With several vans, which one carries it; optional so a one-van operator need not say.
    van = models.ForeignKey(
        "mediation.Van",
        verbose_name=_("van carrying it"),
        related_name="tablets",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Set when a resident used the tablet, cleared by a reset: a single column keeps the
    # "is it safe to hand over?" question a plain filter, with no subquery per tablet.
    reset_pending_since = models.DateTimeField(
        _("awaiting reset since"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = TabletQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("tablet")
        verbose_name_plural = _("tablets")
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_kind="mediator", holder__isnull=False)
                | (~Q(holder_kind="mediator") & Q(holder__isnull=True)),
                name="tablet_holder_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} ({self.make} {self.model_name})"

    @property
    def needs_reset(self) -> bool:
        return self.reset_pending_since is not None

    @property
    def is_ready_for_resident(self) -> bool:
        return self.status == TabletStatus.IN_SERVICE and not self.needs_reset


class TabletUse(models.Model):
    """A resident used this tablet; ``reference`` is the caller's id (an attendance UUID)."""

    tablet = models.ForeignKey(
        Tablet, verbose_name=_("tablet"), related_name="uses", on_delete=models.PROTECT
    )
    used_at = models.DateTimeField(_("used at"))
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    stop = models.ForeignKey(
        "mediation.Stop",
        verbose_name=_("stop"),
        related_name="tablet_uses",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    reset = models.ForeignKey(
        "TabletReset",
        verbose_name=_("cleared by reset"),
        related_name="uses",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-used_at"]
        verbose_name = _("tablet use")
        verbose_name_plural = _("tablet uses")

    def __str__(self) -> str:
        # In Paris time and words (the stored value is UTC).
        return f"{self.tablet.asset_tag}, {longdatetime(self.used_at)}"


class TabletReset(models.Model):
    """A wipe between residents: accounts signed out, browser data cleared, maybe factory reset."""

    tablet = models.ForeignKey(
        Tablet, verbose_name=_("tablet"), related_name="resets", on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("reset at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reset by"),
        related_name="tablet_resets",
        on_delete=models.SET_NULL,
        null=True,
    )
    factory_reset = models.BooleanField(_("factory reset"), default=False)
    note = models.TextField(_("note"), blank=True)
    # Made on the mediator's tablet when the reset is recorded offline: a replayed sync
    # finds the reset already held and records nothing twice. Empty for resets made online.
    uuid = models.UUIDField(_("client id"), unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("tablet reset")
        verbose_name_plural = _("tablet resets")

    def __str__(self) -> str:
        return gettext("%(tablet)s, reset on %(when)s") % {
            "tablet": self.tablet.asset_tag,
            "when": longdatetime(self.at),
        }


class TabletStatusChange(models.Model):
    """The audit trail of status changes, written by services.tablet_change_status."""

    tablet = models.ForeignKey(
        Tablet, verbose_name=_("tablet"), related_name="status_changes", on_delete=models.CASCADE
    )
    from_status = models.CharField(_("from"), max_length=20, choices=TabletStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=TabletStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.tablet.asset_tag}: {self.from_status} → {self.to_status}"


class TabletCheckoutQuerySet(models.QuerySet):
    def open(self) -> "TabletCheckoutQuerySet":
        return self.filter(returned_at__isnull=True)

    def not_returned(self, *, today: dt.date | None = None) -> "TabletCheckoutQuerySet":
        """Still out after the day of their stop: the van came back without them."""
        today = today or timezone.localdate()
        return self.open().filter(stop__date__lt=today)


class TabletCheckout(models.Model):
    """A tablet leaving for a stop, and its return."""

    stop = models.ForeignKey(
        "mediation.Stop",
        verbose_name=_("stop"),
        related_name="tablet_checkouts",
        on_delete=models.PROTECT,
    )
    tablet = models.ForeignKey(
        Tablet, verbose_name=_("tablet"), related_name="checkouts", on_delete=models.PROTECT
    )
    out_at = models.DateTimeField(_("out at"))
    out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked out by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = TabletCheckoutQuerySet.as_manager()

    class Meta:
        ordering = ["-out_at"]
        verbose_name = _("check-out")
        verbose_name_plural = _("check-outs")
        constraints = [
            # A tablet cannot be out twice at once.
            models.UniqueConstraint(
                fields=["tablet"],
                condition=Q(returned_at__isnull=True),
                name="tablet_one_open_checkout",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tablet.asset_tag} → {self.stop}"


class MaintenanceRecord(models.Model):
    """What broke, what was done about it, what it cost."""

    tablet = models.ForeignKey(
        Tablet, verbose_name=_("tablet"), related_name="maintenance", on_delete=models.CASCADE
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    problem = models.TextField(_("what broke"))
    repair = models.TextField(_("repair"), blank=True)
    cost = models.DecimalField(_("cost (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    repaired_on = models.DateField(_("repaired on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")

    def __str__(self) -> str:
        return f"{self.tablet.asset_tag}: {self.problem[:40]}"


class OsMinimum(models.Model):
    """The oldest OS version the fleet accepts, per OS name (older ones miss security fixes)."""

    os_name = models.CharField(_("operating system"), max_length=50, unique=True)
    minimum_version = models.CharField(_("minimum version"), max_length=30)

    class Meta:
        ordering = ["os_name"]
        verbose_name = _("minimum OS version")
        verbose_name_plural = _("minimum OS versions")

    def __str__(self) -> str:
        return f"{self.os_name} ≥ {self.minimum_version}"


def version_key(version: str) -> tuple[int, ...]:
    """ "14.2.1" → (14, 2, 1); non-numeric parts count as 0 so odd strings still compare."""
    parts = []
    for piece in version.replace("-", ".").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)
