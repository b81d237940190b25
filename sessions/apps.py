from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """Workshops, registrations and attendance.

    The package is called `sessions` (the design card's name) but its label is
    `workshops`, so that it never clashes with django.contrib.sessions.
    """

    name = "sessions"
    label = "workshops"
    verbose_name = _("Workshops and registrations")

    def ready(self) -> None:
        from mediation import roles
        from mediation.planning import registry
        from sessions.planning import furnish_workshops, stop_occupancy

        registry.register_occupancy_provider("workshops", stop_occupancy)
        registry.register_furnisher("workshops", furnish_workshops)

        # Coordinators read attendance in the back-office; only the tablets' sync writes it.
        roles.EXTRA_COORDINATOR_PERMISSIONS += [
            ("workshops", "view_attendance"),
            ("workshops", "view_attendanceversion"),
        ]
