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
