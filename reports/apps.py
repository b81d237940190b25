from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mediation.staff_permissions import StaffPermissions


class ReportsConfig(AppConfig):
    """Figures for funders and coordinators: activity exports, statistics, coverage.

    It reads every app and is read by none (it sits at the top, beside cms).
    """

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
    # Coordinators see the figures, print sign-in sheets and keep the funders' list;
    # mediators print the sign-in sheets of the stops they run (reports.views limits them
    # to those, as the roster does), and see no figures.
    staff_permissions = StaffPermissions(
        coordinator_models=("funder",),
        coordinator=("view_figures", "print_signin_sheets"),
        mediator=("print_signin_sheets",),
    )
