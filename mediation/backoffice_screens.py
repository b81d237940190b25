"""Every screen of this project's back office, as one user sees it: the lists of its models,
then the other screens of its menu (the planning, private calendars, reports, the fleet…).

`make bench` times each at three years' volume, and the tests check that none costs more
queries with more data (tests/sessions/backoffice/test_backoffice_at_volume.py). Walking the
menu means that a new screen is checked without being listed anywhere.
"""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

OUR_APPS = {"mediation", "workshops", "tablets", "cms", "reports"}
# Wagtail's own screens (pages, media, its reports, settings, users): not this project's.
WAGTAIL_SCREENS = tuple(
    f"/admin/{name}/"
    for name in [
        "pages",
        "images",
        "documents",
        "reports",
        "settings",
        "collections",
        "groups",
        "redirects",
        "sites",
        "users",
        "workflows",
    ]
)
WAGTAIL_SCREENS_EXACT = ("/admin/", "/admin/snippets/", "/admin/account/")


def back_office_screens(user) -> list[tuple[str, str]]:
    """(label, path) of every screen of this project's back office that `user` may open."""
    screens = model_lists()
    listed = {path for _label, path in screens}
    screens += [(label, path) for label, path in menu_screens(user) if path not in listed]
    return sorted(set(screens))


def model_lists() -> list[tuple[str, str]]:
    """The lists of this project's models: its viewsets' and its snippets'."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    reverse("wagtailadmin_home")  # the admin's URLs register the viewsets
    lists = []
    for viewset in viewsets.viewsets:
        opts = getattr(viewset, "model_opts", None)
        if opts is None or opts.app_label not in OUR_APPS:
            continue
        try:
            path = reverse(viewset.get_url_name("index"))
        except (NoReverseMatch, AttributeError):
            continue
        lists.append((f"{opts.verbose_name_plural} (list)", path))
    for model in get_snippet_models():
        if model._meta.app_label in OUR_APPS:
            path = reverse(model.snippet_viewset.get_url_name("list"))
            lists.append((f"{model._meta.verbose_name_plural} (list)", path))
    return lists


def menu_screens(user) -> list[tuple[str, str]]:
    """The screens of the back office's menu that `user` sees, submenus included, Wagtail's
    own left out."""
    from wagtail.admin.menu import admin_menu

    request = HttpRequest()
    request.method, request.path = "GET", reverse("wagtailadmin_home")
    request.user = user
    screens = []

    def walk(items) -> None:
        for item in items:
            submenu = getattr(item, "menu", None)
            if submenu is not None:
                walk(submenu.menu_items_for_request(request))
                continue
            path = getattr(item, "url", "") or ""
            if not path.startswith("/admin/") or path in WAGTAIL_SCREENS_EXACT:
                continue
            if not path.startswith(WAGTAIL_SCREENS):
                screens.append((str(item.label), path))

    walk(admin_menu.menu_items_for_request(request))
    return screens
