"""Back-office screens for workshops and registrations."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sessions.models import Workshop


class WorkshopViewSet(SnippetViewSet):
    model = Workshop
    icon = "group"
    menu_label = _("Workshops")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["module", "stop", "start_time", "capacity", "seats_taken"]
    list_filter = ["module"]
    search_fields = ["module__title", "stop__commune__name"]
    panels = [
        FieldPanel("stop"),
        FieldPanel("module"),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time"), FieldPanel("capacity")]),
        FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]),
    ]

    def get_queryset(self, request):
        return Workshop.objects.select_related("module", "stop__commune")


register_snippet(WorkshopViewSet)


# --- Attendance recorded on the tablets (issue 5) ------------------------------------------

from django.urls import path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402

from sessions.attendance_admin import (  # noqa: E402
    VIEW_PERMISSION,
    AttendanceReportView,
    WorkshopAttendanceView,
)


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path("presences/", AttendanceReportView.as_view(), name="attendance_report"),
        path("presences/<int:pk>/", WorkshopAttendanceView.as_view(), name="attendance_workshop"),
    ]


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        _("Attendance"), reverse("attendance_report"), icon_name="tasks", order=215
    )
