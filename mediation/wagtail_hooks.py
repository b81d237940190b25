"""Back-office screens for the core domain, in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from mediation.models import Commune, Epci, Stop, TutorialModule
from mediation.services import stop_update


class CommuneViewSet(SnippetViewSet):
    model = Commune
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


class EpciViewSet(SnippetViewSet):
    model = Epci
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
        self.has_content_changes = self.form.has_changed()
        log(instance=instance, action="wagtail.edit", content_changed=self.has_content_changes)
        return instance


class StopViewSet(SnippetViewSet):
    model = Stop
    edit_view_class = StopEditView
    icon = "date"
    menu_label = _("Stops")
    list_display = ["date", "commune", "start_time", "end_time", "place_name", "status"]
    list_filter = ["status", "commune__epci"]
    search_fields = ["commune__name", "place_name"]
    ordering = ["date", "start_time"]
    list_per_page = 50
    panels = [
        FieldPanel("commune"),
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
    ]

    def get_queryset(self, request):
        return Stop.objects.select_related("commune")


class TutorialModuleViewSet(SnippetViewSet):
    model = TutorialModule
    icon = "doc-full"
    menu_label = _("Tutorial modules")
    list_display = ["title", "level", "duration_minutes", "theme", "is_active"]
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
        InlinePanel(
            "outcomes",
            heading=_("Outcomes the mediator ticks"),
            label=_("Outcome"),
            min_num=1,
        ),
    ]


class TourViewSetGroup(SnippetViewSetGroup):
    items = (StopViewSet, TutorialModuleViewSet, CommuneViewSet, EpciViewSet)
    # Not "site": Wagtail's own Reports menu wears it.
    menu_icon = "calendar-check"
    menu_label = _("Tour")
    menu_name = "tour"


register_snippet(TourViewSetGroup)
