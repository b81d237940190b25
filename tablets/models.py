"""The fleet of lending tablets that residents use in the van."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TabletStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("in service")
    CHARGING = "charging", _("charging")
    IN_REPAIR = "in_repair", _("in repair")
    LOST = "lost", _("lost")
    RETIRED = "retired", _("retired")


class Tablet(models.Model):
    asset_tag = models.CharField(_("asset tag"), max_length=30, unique=True)
    serial_number = models.CharField(_("serial number"), max_length=100, unique=True)
    make = models.CharField(_("make"), max_length=100)
    model_name = models.CharField(_("model"), max_length=100)
    os_name = models.CharField(_("operating system"), max_length=50)
    os_version = models.CharField(_("OS version"), max_length=30)
    status = models.CharField(
        _("status"), max_length=20, choices=TabletStatus.choices, default=TabletStatus.IN_SERVICE
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("tablet")
        verbose_name_plural = _("tablets")

    def __str__(self) -> str:
        return f"{self.asset_tag} ({self.make} {self.model_name})"
