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
    # and individual helps (only the mediators' app's sync writes them); mediators take
    # registrations and read attendance, of their own stops only
    # (Stop.objects.whose_people_are_visible_to). Subject access and erasure requests are the
    # coordinators' (the data controller's).
    staff_permissions = StaffPermissions(
        coordinator_models=("workshop", "registration"),
        # Requests for a visit come from the public form: triaged and deleted, never added.
        coordinator=(
            "view_attendance",
            "view_attendanceversion",
            "view_individualhelp",
            "view_busrequest",
            "change_busrequest",
            "delete_busrequest",
            "handle_personal_data",
            "view_personaldatarequest",
            # Records the server refused from the tablets: read, and marked as dealt with.
            "view_refusedrecord",
            "change_refusedrecord",
        ),
        mediator=(
            "view_workshop",
            "view_registration",
            "add_registration",
            "change_registration",
            "view_attendance",
        ),
    )

    def ready(self) -> None:
        from mediation.planning import registry
        from sessions.planning import (
            furnish_workshops,
            shift_workshops,
            stop_occupancy,
            workshop_hours_spans,
            workshops_outside_hours,
        )

        # What the tour planner asks of workshops: seats and sign-ups per stop, and the
        # workshops a series gives its new stops, their hours, moved along with a stop.
        registry.register_occupancy_provider("workshops", stop_occupancy)
        registry.register_furnisher("workshops", furnish_workshops)
        registry.register_hours_check("workshops", workshops_outside_hours)
        registry.register_hours_span("workshops", workshop_hours_spans)
        registry.register_shifter("workshops", shift_workshops)

        from mediation import tour_cache
        from sessions.models import Registration, Workshop

        # Public pages show workshops; the stop and module pages show their seats left,
        # which a registration saved or deleted may change (the seat counter itself moves
        # by a conditional UPDATE, without a signal).
        tour_cache.follow(Workshop)
        tour_cache.follow(Registration, scope="seats")
