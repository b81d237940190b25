"""Back-office screens for the figures: each report adds its URLs and its menu item here."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from mediation.roles import is_coordinator
from reports import coverage_urls


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register("register_admin_urls")
def register_coverage_urls():
    return [path("couverture/", include(coverage_urls, namespace="coverage"))]


@hooks.register("register_reports_menu_item")
def register_coverage_menu():
    return CoordinatorMenuItem(
        _("Coverage of the tour"),
        reverse("coverage:report"),
        icon_name="site",
        name="coverage",
        order=50,
    )
