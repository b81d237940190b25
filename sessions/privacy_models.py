"""The record of residents' requests about their data: who handled them, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.templatetags.french_dates import longdatetime


class PersonalDataRequest(models.Model):
    """A resident's request about their data, as staff handled it: who, when, what was done.

    Holds no contact of the person: the record of an erasure must not undo it.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("subject access export")
        ERASURE = "erasure", _("erasure")

    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    handled_at = models.DateTimeField(_("handled at"), auto_now_add=True)
    registrations = models.PositiveIntegerField(_("registrations concerned"), default=0)
    messages = models.PositiveIntegerField(_("stored messages concerned"), default=0)

    class Meta:
        ordering = ["-handled_at"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        permissions = [
            (
                "handle_personal_data",
                _("Can find a resident's data, export it and erase it on request"),
            )
        ]

    def __str__(self) -> str:
        # In Paris time and words: "mardi 8 décembre 2026, 9 h 30", not UTC digits.
        return f"{self.get_kind_display()} ({longdatetime(self.handled_at)})"
