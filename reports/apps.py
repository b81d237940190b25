from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Figures for funders and coordinators: activity exports, statistics, coverage.

    It reads every app and is read by none (it sits at the top, beside cms).
    """

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
