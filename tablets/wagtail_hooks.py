"""Back-office screens for the tablet fleet."""

from django.db import transaction
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from mediation.backoffice_wording import AddLabelMixin
from mediation.roles import is_coordinator
from tablets import admin_urls
from tablets.alerts import fleet_alerts
from tablets.forms import MaintenanceForm, TabletForm
from tablets.models import MaintenanceRecord, OsMinimum, Tablet
from tablets.services import tablet_change_status


class TabletEditView(generic.EditView):
    def save_instance(self):
        """Save the inventory fields, then move the status through the service (never directly)."""
        new_status = self.form.cleaned_data["status"]
        with transaction.atomic():
            instance = self.form.save(commit=False)
            instance.status = self.form.initial_status
            instance.save()
            self.form.save_m2m()
            if new_status != self.form.initial_status:
                tablet_change_status(
                    tablet=instance,
                    to=new_status,
                    by=self.request.user,
                    note=self.form.cleaned_data.get("status_note", ""),
                )
        self.has_content_changes = self.form.has_changed()
        log(instance=instance, action="wagtail.edit", content_changed=self.has_content_changes)
        return instance


class TabletViewSet(AddLabelMixin, ModelViewSet):
    model = Tablet
    add_item_label = _("Add a tablet")
    icon = "mobile-alt"
    name = "tablet_inventory"
    menu_label = _("Inventory")
    add_to_admin_menu = False
    edit_view_class = TabletEditView
    list_display = ["asset_tag", "make", "model_name", "os_version", "status"]
    list_filter = ["status"]
    search_fields = ["asset_tag", "serial_number", "model_name"]

    def get_form_class(self, for_update=False):
        return TabletForm


class MaintenanceCreateView(generic.CreateView):
    def save_instance(self):
        """Who wrote the entry is recorded, not typed."""
        instance = self.form.save(commit=False)
        instance.recorded_by = self.request.user
        instance.save()
        log(instance=instance, action="wagtail.create", content_changed=True)
        return instance


class MaintenanceViewSet(AddLabelMixin, ModelViewSet):
    model = MaintenanceRecord
    add_item_label = _("Add a maintenance intervention")
    add_view_class = MaintenanceCreateView
    icon = "cogs"
    name = "tablet_maintenance"
    menu_label = _("Maintenance log")
    add_to_admin_menu = False
    list_display = ["tablet", "reported_on", "problem", "cost", "repaired_on"]

    def get_form_class(self, for_update=False):
        return MaintenanceForm


class OsMinimumViewSet(AddLabelMixin, ModelViewSet):
    model = OsMinimum
    add_item_label = _("Add a minimum OS version")
    icon = "warning"
    name = "tablet_os_minimums"
    menu_label = _("Minimum OS versions")
    add_to_admin_menu = False
    form_fields = ["os_name", "minimum_version"]
    list_display = ["os_name", "minimum_version"]


tablet_viewset = TabletViewSet()
maintenance_viewset = MaintenanceViewSet()
os_minimum_viewset = OsMinimumViewSet()


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [tablet_viewset, maintenance_viewset, os_minimum_viewset]


@hooks.register("register_admin_urls")
def register_fleet_urls():
    return [path("tablets/", include(admin_urls, namespace="tablets_admin"))]


class ViewTabletMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("tablets.view_tablet")


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("tablets.change_tablet")


@hooks.register("register_admin_menu_item")
def register_fleet_menu():
    items = [
        ViewTabletMenuItem(_("Fleet"), reverse("tablets_admin:list"), icon_name="list-ul", order=1),
        ViewTabletMenuItem(
            _("Alerts"), reverse("tablets_admin:alerts"), icon_name="warning", order=2
        ),
        CoordinatorMenuItem(
            _("Inventory"), reverse("tablet_inventory:index"), icon_name="mobile-alt", order=3
        ),
        ViewTabletMenuItem(
            _("Maintenance log"), reverse("tablet_maintenance:index"), icon_name="cogs", order=4
        ),
        CoordinatorMenuItem(
            _("Minimum OS versions"), reverse("tablet_os_minimums:index"), icon_name="cog", order=5
        ),
    ]
    return SubmenuMenuItem(
        _("Tablets"), Menu(items=items), icon_name="mobile-alt", name="tablets", order=220
    )


class FleetAlertsPanel(Component):
    name = "tablet_alerts"
    order = 150
    template_name = "tablets/admin/alerts_panel.html"

    def get_context_data(self, parent_context):
        return {"alerts": fleet_alerts()}


@hooks.register("construct_homepage_panels")
def add_fleet_alerts_panel(request, panels):
    if is_coordinator(request.user):
        panels.append(FleetAlertsPanel())
