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
        ]

        from mediation import tour_cache
        from sessions.models import Registration, Workshop

        # Public pages show workshops and their seats left; a registration saved or deleted
        # may change the seats (the seat counter itself moves by a conditional UPDATE).
        tour_cache.follow(Workshop)
        tour_cache.follow(Registration)
