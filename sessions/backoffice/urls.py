"""The back-office's own screens, added under /admin/ by sessions/wagtail_hooks.py."""

from django.urls import path

from sessions.backoffice.attendance import AttendanceReportView, WorkshopAttendanceView
from sessions.backoffice.messages import (
    messages_send_again_view,
    registration_messages_view,
    stop_broadcast_view,
    undelivered_messages_view,
)
from sessions.backoffice.personal_data import PersonalDataView
from sessions.backoffice.refusals import (
    refused_record_dismiss_view,
    refused_record_reopen_view,
    refused_records_view,
)
from sessions.backoffice.registrations import (
    registration_called_view,
    registration_cancel_admin_view,
    registration_move_admin_view,
    registration_sms_again_view,
)
from sessions.backoffice.stops import stop_cancel_view

urlpatterns = [
    path("workshops/stops/<int:stop_pk>/cancel/", stop_cancel_view, name="workshops_stop_cancel"),
    path(
        "workshops/registrations/<int:registration_pk>/cancel/",
        registration_cancel_admin_view,
        name="workshops_registration_cancel",
    ),
    path(
        "workshops/registrations/<int:registration_pk>/move/",
        registration_move_admin_view,
        name="workshops_registration_move",
    ),
    path(
        "workshops/registrations/<int:registration_pk>/called/",
        registration_called_view,
        name="workshops_registration_called",
    ),
    path(
        "workshops/registrations/<int:registration_pk>/messages/",
        registration_messages_view,
        name="workshops_registration_messages",
    ),
    path(
        "workshops/registrations/<int:registration_pk>/sms-again/",
        registration_sms_again_view,
        name="workshops_registration_sms_again",
    ),
    path(
        "workshops/stops/<int:stop_pk>/message/",
        stop_broadcast_view,
        name="workshops_stop_broadcast",
    ),
    path("workshops/messages/", undelivered_messages_view, name="workshops_undelivered_messages"),
    path(
        "workshops/messages/send-again/",
        messages_send_again_view,
        name="workshops_messages_send_again",
    ),
    path("presences/", AttendanceReportView.as_view(), name="attendance_report"),
    path("presences/<int:pk>/", WorkshopAttendanceView.as_view(), name="attendance_workshop"),
    path("donnees-personnelles/", PersonalDataView.as_view(), name="personal_data"),
    path("tablette/refus/", refused_records_view, name="workshops_refused_records"),
    path(
        "tablette/refus/<int:pk>/traite/",
        refused_record_dismiss_view,
        name="workshops_refused_record_dismiss",
    ),
    path(
        "tablette/refus/<int:pk>/rouvrir/",
        refused_record_reopen_view,
        name="workshops_refused_record_reopen",
    ),
]
