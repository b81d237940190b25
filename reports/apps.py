from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Figures for funders and coordinators: activity exports, statistics, coverage.

    It reads every app and is read by none (it sits at the top, beside cms).
    """

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mediation import roles

        # Coordinators see the figures, print sign-in sheets and keep the funders' list;
        # mediators get none of it.
        if ("reports", "funder") not in roles.COORDINATOR_MODELS:
            roles.COORDINATOR_MODELS.append(("reports", "funder"))
        for pair in [
            ("reports", "view_figures"),
            ("reports", "print_signin_sheets"),
            ("workshops", "view_individualhelp"),
        ]:
            if pair not in roles.EXTRA_COORDINATOR_PERMISSIONS:
                roles.EXTRA_COORDINATOR_PERMISSIONS.append(pair)
