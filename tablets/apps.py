from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mediation.staff_permissions import StaffPermissions


class TabletsConfig(AppConfig):
    name = "tablets"
    label = "tablets"
    verbose_name = _("Tablet fleet")
    # Coordinators manage the fleet; mediators see it and record its daily life.
    staff_permissions = StaffPermissions(
        coordinator_models=(
            "tablet",
            "tabletuse",
            "tabletreset",
            "tabletstatuschange",
            "tabletcheckout",
            "maintenancerecord",
            "osminimum",
        ),
        mediator=(
            "view_tablet",
            "view_tabletreset",
            "add_tabletreset",
            "view_tabletcheckout",
            "add_tabletcheckout",
            "change_tabletcheckout",
            "view_maintenancerecord",
        ),
    )
