"""The back-office's registrations with Wagtail: the screens live in sessions/backoffice/."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from sessions.backoffice import urls
from sessions.backoffice.attendance import attendance_menu_item
from sessions.backoffice.bus_requests import BusRequestViewSet
from sessions.backoffice.dashboard import add_dashboard_panels
from sessions.backoffice.messages import stop_broadcast_button, undelivered_messages_menu_item
from sessions.backoffice.personal_data import personal_data_menu_item
from sessions.backoffice.refusals import refused_records_menu_item
from sessions.backoffice.registrations import RegistrationViewSet
from sessions.backoffice.stop_alerts import announce_a_published_stop
from sessions.backoffice.stops import (
    refuse_to_delete_what_residents_count_on,
    tell_registrants_of_a_stop_cancelled_in_its_form,
    warn_before_changing_what_registrants_know,
    warn_that_registrants_were_not_told_of_a_change,
)
from sessions.backoffice.workshops import WorkshopViewSet, workshop_and_stop_buttons
from sessions.services import CALL_MADE_ACTION, SMS_AGAIN_ACTION

register_snippet(WorkshopViewSet)
hooks.register("register_admin_viewset", RegistrationViewSet)
hooks.register("register_snippet_listing_buttons", workshop_and_stop_buttons)
hooks.register("register_snippet_listing_buttons", stop_broadcast_button)
hooks.register("after_edit_snippet", tell_registrants_of_a_stop_cancelled_in_its_form)
hooks.register("after_edit_snippet", warn_that_registrants_were_not_told_of_a_change)
hooks.register("before_delete_snippet", refuse_to_delete_what_residents_count_on)
hooks.register("before_edit_snippet", warn_before_changing_what_registrants_know)
hooks.register("register_admin_menu_item", attendance_menu_item)
hooks.register("register_admin_menu_item", personal_data_menu_item)
# "Prévenez-moi": a stop saved in the back office is announced to the alerts near it.
hooks.register("after_create_snippet", announce_a_published_stop)
hooks.register("after_edit_snippet", announce_a_published_stop)
hooks.register("register_admin_viewset", BusRequestViewSet)
hooks.register("register_admin_menu_item", undelivered_messages_menu_item)
hooks.register("register_admin_menu_item", refused_records_menu_item)
hooks.register("construct_homepage_panels", add_dashboard_panels)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return urls.urlpatterns


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        CALL_MADE_ACTION, _("Call made"), _("Phoned about the seat from the waiting list")
    )
    actions.register_action(
        SMS_AGAIN_ACTION, _("SMS again"), _("SMS given back to a number that answered STOP")
    )
