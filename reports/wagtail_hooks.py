"""The figures' place in the back office: a menu for coordinators, funders as snippets."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from reports import admin_urls
from reports.models import Funder
from reports.views import FIGURES, SHEETS
from sessions.models import Workshop


class FunderViewSet(SnippetViewSet):
    model = Funder
    icon = "doc-full"
    menu_label = _("Funders")
    add_to_admin_menu = False
    list_display = ["name", "is_active"]
    form_fields = ["name", "logo", "is_active"]


register_snippet(FunderViewSet)


@hooks.register("register_admin_urls")
def register_reports_urls():
    return [path("rapports/", include(admin_urls, namespace="reports_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class FiguresMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(FIGURES) or request.user.has_perm(SHEETS)


@hooks.register("register_admin_menu_item")
def register_figures_menu():
    items = [
        PermissionMenuItem(
            _("Statistics and exports"),
            reverse("reports_admin:statistics"),
            icon_name="table",
            order=1,
            permission=FIGURES,
        ),
        PermissionMenuItem(
            _("Sign-in sheets"),
            reverse("reports_admin:signin_sheets"),
            icon_name="doc-full",
            order=2,
            permission=SHEETS,
        ),
        PermissionMenuItem(
            _("Funders"),
            reverse("wagtailsnippets_reports_funder:list"),
            icon_name="doc-full-inverse",
            order=3,
            permission="reports.change_funder",
        ),
    ]
    return FiguresMenu(
        _("Figures"), Menu(items=items), icon_name="table", name="figures", order=230
    )


@hooks.register("register_snippet_listing_buttons")
def signin_sheet_button(snippet, user, next_url=None):
    if isinstance(snippet, Workshop) and user.has_perm(SHEETS):
        yield ListingButton(
            _("Sign-in sheet (PDF)"),
            url=reverse("reports_admin:workshop_sheet", args=[snippet.pk]),
            icon_name="doc-full",
            priority=30,
        )
