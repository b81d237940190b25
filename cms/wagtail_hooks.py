"""Editors' screens of the public site."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Site
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


# --- The home page stays ------------------------------------------------------------------
# Unpublished or deleted, the site's root page takes every public page with it: "page not
# found" at the address printed on every flyer. Wagtail lets an editor do both in two clicks.

HOME_PAGE_STAYS = _(
    "The home page cannot be unpublished or deleted: every public page hangs from it, and the "
    "site would answer “page not found”. Edit it instead."
)


def _site_roots(pages) -> set[int]:
    return set(
        Site.objects.filter(root_page__in=[page.pk for page in pages]).values_list(
            "root_page_id", flat=True
        )
    )


def _refuse_for_the_home_page(request, page):
    if _site_roots([page]):
        messages.error(request, HOME_PAGE_STAYS)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def _refuse_bulk_for_the_home_page(request, action_type, objects, action_class_instance):
    if action_type in {"unpublish", "delete"} and _site_roots(objects):
        messages.error(request, HOME_PAGE_STAYS)
        return redirect("wagtailadmin_explore_root")
    return None


hooks.register("before_unpublish_page", _refuse_for_the_home_page)
hooks.register("before_delete_page", _refuse_for_the_home_page)
hooks.register("before_bulk_action", _refuse_bulk_for_the_home_page)
