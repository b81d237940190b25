from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Coordinators get every permission on these; mediators see the fleet and record its daily life.
COORDINATOR_MODELS = [
    ("tablets", model)
    for model in (
        "tablet",
        "tabletuse",
        "tabletreset",
        "tabletstatuschange",
        "tabletcheckout",
        "maintenancerecord",
        "osminimum",
    )
]
MEDIATOR_PERMISSIONS = [
    ("tablets", "view_tablet"),
    ("tablets", "view_tabletreset"),
    ("tablets", "add_tabletreset"),
    ("tablets", "view_tabletcheckout"),
    ("tablets", "add_tabletcheckout"),
    ("tablets", "change_tabletcheckout"),
    ("tablets", "view_maintenancerecord"),
]


class TabletsConfig(AppConfig):
    name = "tablets"
    label = "tablets"
    verbose_name = _("Tablet fleet")

    def ready(self):
        from mediation import roles

        for pair in COORDINATOR_MODELS:
            if pair not in roles.COORDINATOR_MODELS:
                roles.COORDINATOR_MODELS.append(pair)
        for pair in MEDIATOR_PERMISSIONS:
            if pair not in roles.MEDIATOR_PERMISSIONS + roles.EXTRA_MEDIATOR_PERMISSIONS:
                roles.EXTRA_MEDIATOR_PERMISSIONS.append(pair)
