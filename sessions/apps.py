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

        # Coordinators read attendance in the back-office; only the tablets' sync writes it.
        roles.EXTRA_COORDINATOR_PERMISSIONS += [
            ("workshops", "view_attendance"),
            ("workshops", "view_attendanceversion"),
            # Subject access and erasure requests are the coordinators' (data controller's).
            ("workshops", "handle_personal_data"),
            ("workshops", "view_personaldatarequest"),
        ]
