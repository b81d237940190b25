"""Who pays for the van: funders whose logos go on sign-in sheets and activity reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Orderable


class Funder(Orderable):
    """A funder (the département, the State, France Services…), shown by its logo."""

    name = models.CharField(_("name"), max_length=200)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("shown on documents"), default=True, help_text=_("Untick when the funding ends.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        # The screens of this app are granted by these, not by model permissions.
        permissions = [
            ("view_figures", _("Can see the figures and export them for funders")),
            ("print_signin_sheets", _("Can print workshops' sign-in sheets")),
        ]

    def __str__(self) -> str:
        return self.name
