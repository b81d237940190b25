"""Back-office screens for the tablet fleet."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tablets.models import Tablet


class TabletViewSet(SnippetViewSet):
    model = Tablet
    icon = "mobile-alt"
    menu_label = _("Tablets")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["asset_tag", "make", "model_name", "os_version", "status"]
    list_filter = ["status"]
    search_fields = ["asset_tag", "serial_number", "model_name"]


register_snippet(TabletViewSet)
