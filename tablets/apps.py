from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TabletsConfig(AppConfig):
    name = "tablets"
    label = "tablets"
    verbose_name = _("Tablet fleet")
