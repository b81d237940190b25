"""Back-office screens for the core domain, in the Wagtail admin."""

import django_filters
from django import forms
from django.db import transaction
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from mediation import planning_admin_urls
from mediation.backoffice_filters import PeriodFilterSetMixin, StopPeriodFilter
from mediation.backoffice_wording import AddLabelMixin, InlinePanelWithAddLabel, SpokenColumn
from mediation.models import Commune, Epci, Stop, TutorialModule
from mediation.planning.conflicts import conflicts_for_stop
from mediation.planning_admin import (
    ClosurePeriodViewSet,
    ConflictsPanel,
    StopForm,
    StopPlanningPanel,
    StopSeriesViewSet,
    VanViewSet,
    series_listing_buttons,
)
from mediation.roles import is_coordinator
from mediation.row_buttons import StampedRowButtons
from mediation.services import commune_keep_former_slug, module_keep_former_slug, stop_update
from mediation.templatetags.french_dates import hour, longdate


class CommuneIndexView(StampedRowButtons, IndexView):
    pass


class KeepsFormerAddressEditView(EditView):
    """Saves, then keeps the object's former address leading to it (printed handouts and
    flyers carry their address in a QR code): `keep_former_slug`, a service of
    mediation.services, takes the object under the keyword `owner`, and `former_slug`."""

    keep_former_slug: staticmethod
    owner: str

    def save_instance(self):
        former_slug = (
            self.model.objects.filter(pk=self.object.pk).values_list("slug", flat=True).get()
        )
        with transaction.atomic():
            instance = super().save_instance()
            self.keep_former_slug(**{self.owner: instance}, former_slug=former_slug)
        return instance


class TutorialModuleEditView(KeepsFormerAddressEditView):
    keep_former_slug = staticmethod(module_keep_former_slug)
    owner = "module"


class CommuneEditView(KeepsFormerAddressEditView):
    keep_former_slug = staticmethod(commune_keep_former_slug)
    owner = "commune"


class CommuneViewSet(AddLabelMixin, SnippetViewSet):
    model = Commune
    index_view_class = CommuneIndexView
    edit_view_class = CommuneEditView
    add_item_label = _("Add a commune")
    icon = "home"
    menu_label = _("Communes")
    list_display = ["name", "insee_code", "postal_codes", "population", "epci"]
    list_filter = ["epci"]
    search_fields = ["name", "insee_code", "postal_codes"]
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("insee_code"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("postal_codes"), FieldPanel("population")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("epci"),
    ]

    def get_queryset(self, request):
        return Commune.objects.select_related("epci")


class EpciViewSet(AddLabelMixin, SnippetViewSet):
    model = Epci
    add_item_label = _("Add an intercommunality")
    icon = "group"
    menu_label = _("Intercommunalities")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class StopEditView(EditView):
    """Saves through stop_update, so that calendars learn of a change (SEQUENCE)."""

    def save_instance(self):
        instance = stop_update(
            stop=self.form.save(commit=False), changed_fields=self.form.changed_data
        )
        self.form.save_m2m()
        # What the form changed, for the apps' after_edit_snippet hooks (registrants to tell).
        instance.changed_in_form = frozenset(self.form.changed_data)
        self.has_content_changes = self.form.has_changed()
        log(instance=instance, action="wagtail.edit", content_changed=self.has_content_changes)
        return instance


class StopFilterSet(PeriodFilterSetMixin, WagtailFilterSet):
    """Three years of stops, opened on those to come."""

    date_range_field = "date"
    period = StopPeriodFilter()
    date = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Stop
        fields = ["status", "van", "commune__epci"]


class StopIndexView(StampedRowButtons, IndexView):
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # Staff plan by the day of the week: "Mardi 8 décembre 2026", as the planner says it.
        if field_name == "date":
            kwargs["accessor"] = lambda stop: capfirst(longdate(stop.date))
        return super()._get_title_column(field_name, column_class, **kwargs)


class StopViewSet(AddLabelMixin, SnippetViewSet):
    model = Stop
    add_item_label = _("Add a stop")
    index_view_class = StopIndexView
    edit_view_class = StopEditView
    icon = "date"
    menu_label = _("Stops")
    list_display = [
        "date",
        "commune",
        # "9 h 30 – 12 h 30", as residents read it, in one column that fits a tablet.
        Column(
            "hours",
            label=_("Hours"),
            accessor=lambda stop: f"{hour(stop.start_time)} – {hour(stop.end_time)}",
            sort_key="start_time",
        ),
        "place_name",
        "van",
        "status",
    ]
    filterset_class = StopFilterSet
    search_fields = ["commune__name", "place_name"]
    ordering = ["date", "start_time"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            StopPlanningPanel(heading=_("Planning")),
            # A list of the few vans, not a chooser's search window ("Choisir bus").
            FieldRowPanel([FieldPanel("van", widget=forms.Select), FieldPanel("commune")]),
            FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
            MultiFieldPanel(
                [
                    FieldPanel("place_name"),
                    FieldPanel("address"),
                    FieldPanel("directions"),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                ],
                heading=_("Place"),
            ),
            FieldRowPanel([FieldPanel("status"), FieldPanel("cancellation_reason")]),
            FieldPanel("mediators"),
        ],
        base_form_class=StopForm,
    )

    def get_queryset(self, request):
        return Stop.objects.select_related("commune", "van")


class TutorialModuleViewSet(AddLabelMixin, SnippetViewSet):
    model = TutorialModule
    add_item_label = _("Add a module")
    edit_view_class = TutorialModuleEditView
    icon = "doc-full"
    menu_label = _("Tutorial modules")
    list_display = [
        "title",
        "level",
        "duration_minutes",
        "theme",
        SpokenColumn.of(TutorialModule, "is_active", classname="offered"),
    ]
    list_filter = ["level", "theme", "is_active"]
    search_fields = ["title", "goal"]
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
                FieldPanel("goal"),
                FieldPanel("audience"),
                FieldRowPanel(
                    [FieldPanel("level"), FieldPanel("duration_minutes"), FieldPanel("theme")]
                ),
                FieldPanel("is_active"),
            ],
            heading=_("About the module"),
        ),
        MultiFieldPanel(
            [FieldPanel("prerequisites"), FieldPanel("documents_to_bring")],
            heading=_("Before coming"),
        ),
        FieldPanel("steps"),
        InlinePanelWithAddLabel(
            "outcomes",
            heading=_("Outcomes the mediator ticks"),
            label=_("Outcome"),
            add_label=_("Add an outcome"),
            min_num=1,
        ),
    ]


class TourViewSetGroup(SnippetViewSetGroup):
    items = (
        StopViewSet,
        StopSeriesViewSet,
        VanViewSet,
        ClosurePeriodViewSet,
        TutorialModuleViewSet,
        CommuneViewSet,
        EpciViewSet,
    )
    # Not "site": Wagtail's own Reports menu wears it.
    menu_icon = "calendar-check"
    menu_label = _("Tour")
    menu_name = "tour"


register_snippet(TourViewSetGroup)


def warn_of_the_conflicts_of_a_saved_stop(request, instance):
    """Saved is not free of conflicts: say so now, not on the dashboard some day later."""
    if not isinstance(instance, Stop):
        return
    conflicts = conflicts_for_stop(instance)
    if not conflicts:
        return
    messages.warning(
        request,
        ngettext(
            "This stop has a planning conflict: %(conflicts)s",
            "This stop has %(count)s planning conflicts: %(conflicts)s",
            len(conflicts),
        )
        % {"count": len(conflicts), "conflicts": " ".join(c.message for c in conflicts)},
        buttons=[
            messages.button(
                reverse("wagtailsnippets_mediation_stop:edit", args=[instance.pk]),
                _("Open the stop"),
            )
        ],
    )


hooks.register("after_create_snippet", warn_of_the_conflicts_of_a_saved_stop)
hooks.register("after_edit_snippet", warn_of_the_conflicts_of_a_saved_stop)


@hooks.register("insert_global_admin_css")
def back_office_lists_css():
    """Lists that fit a tablet, or scroll in their own box (static/mediation/admin.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("mediation/admin.css"))


@hooks.register("register_admin_urls")
def register_planning_urls():
    return [path("tournee/", include(planning_admin_urls, namespace="planning"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("mediation.view_stop")


@hooks.register("register_admin_menu_item")
def register_planner_menu():
    return StaffMenuItem(
        _("Planner"), reverse("planning:planner"), icon_name="calendar", name="planner", order=190
    )


@hooks.register("register_admin_menu_item")
def register_calendars_menu():
    return StaffMenuItem(
        _("Private calendars"),
        reverse("planning:calendars"),
        # Not "calendar-check": the Tour menu wears it.
        icon_name="calendar-alt",
        name="private-calendars",
        order=195,
    )


@hooks.register("register_snippet_listing_buttons")
def add_series_buttons(snippet, user, next_url=None):
    yield from series_listing_buttons(snippet, user)


@hooks.register("construct_homepage_panels")
def add_conflicts_panel(request, panels):
    if is_coordinator(request.user):
        panels.append(ConflictsPanel())
