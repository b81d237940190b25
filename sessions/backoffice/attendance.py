"""Back-office screens where staff read attendance and outcomes, per workshop.

Coordinators see every workshop; a mediator those of the stops assigned to them (and a
workshop of another stop is a 404, as if it had no attendance to show).
"""

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from sessions.backoffice.attendance_queries import (
    outcome_counts,
    workshop_roster_with_attendance,
    workshops_with_attendance,
)
from sessions.contacts import phone_ending
from sessions.models import Attendance, Workshop

VIEW_PERMISSION = "workshops.view_attendance"
DEFAULT_PERIOD = dt.timedelta(days=30)


class AttendanceReadersMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AttendanceReportView(AttendanceReadersMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sessions/backoffice/attendance_report.html"
    page_title = _("Attendance by workshop")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def _period(self) -> tuple[dt.date, dt.date, dict]:
        today = timezone.localdate()
        errors = {}
        date_from = self.request.GET.get("du") or ""
        date_to = self.request.GET.get("au") or ""
        parsed_from = parse_date(date_from) if date_from else today - DEFAULT_PERIOD
        parsed_to = parse_date(date_to) if date_to else today
        # parse_date raises on impossible dates (2026-02-31) and returns None on gibberish.
        if parsed_from is None:
            errors["du"] = _("Enter a date such as 2026-12-08.")
            parsed_from = today - DEFAULT_PERIOD
        if parsed_to is None:
            errors["au"] = _("Enter a date such as 2026-12-08.")
            parsed_to = today
        if not errors and parsed_to < parsed_from:
            errors["au"] = _("The end comes before the start.")
        return parsed_from, parsed_to, errors

    def get(self, request, *args, **kwargs):
        try:
            self.period = self._period()
        except ValueError:
            today = timezone.localdate()
            self.period = (today - DEFAULT_PERIOD, today, {"du": _("This date does not exist.")})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        date_from, date_to, errors = self.period
        workshops = workshops_with_attendance(
            date_from=date_from, date_to=date_to, user=self.request.user
        )
        page = Paginator(workshops, 50).get_page(self.request.GET.get("p"))
        counts = outcome_counts(page.object_list)
        for workshop in page.object_list:
            workshop.outcome_counts = counts.get(workshop.pk, [])
            workshop.not_marked = (
                workshop.registered - workshop.present_count - workshop.absent_count
            )
            workshop.detail_url = reverse("attendance_workshop", args=[workshop.pk])
        context.update(date_from=date_from, date_to=date_to, errors=errors, page=page)
        return context


class WorkshopAttendanceView(AttendanceReadersMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sessions/backoffice/attendance_workshop.html"
    page_title = _("Attendance")
    header_icon = "tasks"

    def get_page_subtitle(self):
        return str(self.workshop)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("attendance_report"), "label": AttendanceReportView.page_title},
            {"url": "", "label": self.get_header_title()},
        ]

    def get(self, request, *args, pk: int, **kwargs):
        self.workshop = get_object_or_404(
            Workshop.objects.with_registrations_visible_to(request.user).select_related(
                "module", "stop__commune"
            ),
            pk=pk,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = list(workshop_roster_with_attendance(self.workshop))
        # Two "Odette Leroy" of Amiens: told apart as on the tablet, by their phone's end.
        names = Counter(str(registration).casefold() for registration in registrations)
        for registration in registrations:
            shared = names[str(registration).casefold()] > 1
            registration.phone_ending = phone_ending(registration.phone) if shared else ""
            try:
                registration.current_attendance = registration.attendance
            except Attendance.DoesNotExist:
                registration.current_attendance = None
        context.update(
            workshop=self.workshop,
            registrations=registrations,
            report_url=reverse("attendance_report"),
        )
        return context


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


def attendance_menu_item() -> AttendanceMenuItem:
    return AttendanceMenuItem(
        _("Attendance"), reverse("attendance_report"), icon_name="tasks", order=215
    )
