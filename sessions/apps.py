from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mediation.staff_permissions import StaffPermissions


class WorkshopsConfig(AppConfig):
    """Workshops, registrations and attendance.

    The package is called `sessions` (the design card's name) but its label is
    `workshops`, so that it never clashes with django.contrib.sessions.
    """

    name = "sessions"
    label = "workshops"
    verbose_name = _("Workshops and registrations")
    # Coordinators manage workshops and registrations and read attendance in the back-office
    # (only the mediators' app's sync writes attendance); mediators take registrations.
    staff_permissions = StaffPermissions(
        coordinator_models=("workshop", "registration"),
        coordinator=("view_attendance", "view_attendanceversion"),
        mediator=("view_workshop", "view_registration", "add_registration", "change_registration"),
    )
