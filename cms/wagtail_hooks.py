"""Editors' screens of the public site."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import CommuneLocalContent
from mediation.backoffice_wording import AddLabelMixin


class CommuneLocalContentViewSet(AddLabelMixin, SnippetViewSet):
    model = CommuneLocalContent
    add_item_label = _("Add a commune's local content")
    # Not "image": Wagtail's own Images menu wears it.
    icon = "globe"
    menu_label = _("Communes' local content")
    add_to_admin_menu = True
    list_display = ["commune"]
    search_fields = ["commune__name"]

    def get_queryset(self, request):
        return CommuneLocalContent.objects.select_related("commune")


register_snippet(CommuneLocalContentViewSet)
