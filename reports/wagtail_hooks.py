"""The figures' place in the back office: each report adds its URLs and its menu item here;
funders are snippets."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from mediation.backoffice_wording import AddLabelMixin, InspectedInFrench, SpokenColumn
from mediation.roles import is_coordinator, is_staff_member, staff_member_name
from mediation.row_buttons import StampedRowButtons
from reports import admin_urls, coverage_urls
from reports.models import Funder
from reports.views import FIGURES, SHEETS
from sessions.models import IndividualHelp, Workshop
from sessions.vocabulary import Theme


class FunderViewSet(AddLabelMixin, SnippetViewSet):
    model = Funder
    add_item_label = _("Add a funder")
    icon = "doc-full"
    menu_label = _("Funders")
    add_to_admin_menu = False
    list_display = [
        "name",
        SpokenColumn.of(Funder, "is_active"),
    ]
    form_fields = ["name", "logo", "is_active"]


register_snippet(FunderViewSet)


class IndividualHelpIndexView(StampedRowButtons, IndexView):
    default_ordering = "-recorded_at"

    def get_base_queryset(self):
        # The stop's name needs its commune: one query for the page, not one per line.
        return super().get_base_queryset().select_related("stop__commune")


class IndividualHelpInspectView(InspectedInFrench, InspectView):
    """One help as the tablet sent it, in words: its themes' names, the mediator's name."""

    def get_themes_display_value(self):
        names = dict(Theme.choices)
        return ", ".join(str(names.get(theme, theme)) for theme in self.object.themes)

    def get_recorded_by_display_value(self):
        mediator = self.object.recorded_by
        return staff_member_name(mediator) if mediator else None


class IndividualHelpViewSet(ModelViewSet):
    """Individual helps as the tablets sent them: read only (the tablets write them)."""

    model = IndividualHelp
    icon = "user"
    name = "individual_helps"
    menu_label = _("Individual helps")
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = [
        # The first column links each line to its record (Wagtail's title column, "Escale").
        "stop",
        SpokenColumn.of(IndividualHelp, "recorded_at"),
        "minutes_spent",
        "procedure_name",
        "operator",
        SpokenColumn.of(IndividualHelp, "first_visit"),
    ]
    inspect_view_class = IndividualHelpInspectView
    # What the help was, then who it was for; not the database's ids.
    inspect_view_fields = [
        "stop",
        "recorded_at",
        "recorded_by",
        "minutes_spent",
        "themes",
        "procedure_name",
        "operator",
        "place_type",
        "home_commune",
        "first_visit",
        "age_bracket",
        "gender",
        "situation",
        "equipment",
        "autonomy",
        "redirection",
    ]
    list_filter = ["operator", "first_visit"]
    form_fields = ["minutes_spent", "procedure_name", "operator"]
    index_view_class = IndividualHelpIndexView


individual_help_viewset = IndividualHelpViewSet()


@hooks.register("register_admin_viewset")
def register_individual_helps():
    return individual_help_viewset


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
            _("Individual helps"),
            reverse("individual_helps:index"),
            icon_name="user",
            order=3,
            permission="workshops.view_individualhelp",
        ),
        PermissionMenuItem(
            _("Funders"),
            reverse("wagtailsnippets_reports_funder:list"),
            icon_name="doc-full-inverse",
            order=4,
            permission="reports.change_funder",
        ),
    ]
    return FiguresMenu(
        _("Figures"), Menu(items=items), icon_name="table", name="figures", order=230
    )


class FlyersMenuItem(MenuItem):
    """Shown to whoever the flyers page lets in (mediation's StaffMenuItem asks for a
    permission instead)."""

    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_flyers_menu():
    # Beside the planner and the private calendars: mediators print flyers too.
    return FlyersMenuItem(
        _("Flyers"), reverse("reports_admin:flyers"), icon_name="doc-full", name="flyers", order=198
    )


@hooks.register("register_snippet_listing_buttons")
def signin_sheet_button(snippet, user, next_url=None):
    # On every workshop of the tour: a coordinator's. A mediator prints the sheets of the
    # stops she runs from the sheets page, which lists only those.
    if isinstance(snippet, Workshop) and is_coordinator(user) and user.has_perm(SHEETS):
        yield ListingButton(
            _("Sign-in sheet (PDF)"),
            url=reverse("reports_admin:workshop_sheet", args=[snippet.pk]),
            icon_name="doc-full",
            priority=30,
        )


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
