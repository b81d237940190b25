"""Activity outside workshops: help given at a stop to someone who signed up for nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.models import Commune, Stop
from mediation.templatetags.french_dates import hour
from sessions.vocabulary import ActivityProfile, Operator, PlaceType


class IndividualHelp(ActivityProfile):
    """Help given to one resident at a stop outside any workshop (they knocked on the van's
    door): recorded on the tablet, offline too, with no name at all."""

    # Made by the tablet: replaying a batch finds the record and changes nothing.
    uuid = models.UUIDField(_("record id"), unique=True, editable=False)
    stop = models.ForeignKey(
        Stop, verbose_name=_("stop"), related_name="individual_helps", on_delete=models.PROTECT
    )
    minutes_spent = models.PositiveSmallIntegerField(_("minutes spent"))
    themes = models.JSONField(_("themes"), default=list)
    procedure_name = models.CharField(
        _("administrative procedure done"), max_length=200, blank=True
    )
    operator = models.CharField(
        _("body in charge of the procedure"), max_length=20, choices=Operator.choices, blank=True
    )
    place_type = models.CharField(
        _("place type"), max_length=20, choices=PlaceType.choices, default=PlaceType.VAN
    )
    home_commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune of residence"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["stop__date", "recorded_at"]
        verbose_name = _("individual help")
        verbose_name_plural = _("individual helps")

    def __str__(self) -> str:
        # Paris time, "15 h 30": Python's %H of the stored value is UTC, an hour or two early.
        return f"{self.stop} ({hour(self.recorded_at)})"
