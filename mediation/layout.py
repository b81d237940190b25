"""What every page's header and footer show of the operator follows the pages, images and sites.

The header's logo and the footer's legal links are made once per process
(`Branding.logo_html`, `Branding.legal_links`) for each `Branding.layout_version`. Any save,
delete or move of a page, an image or a site gives it a new value (a page renamed, a logo's
file replaced, a new site root) in the writer's transaction, so every worker makes them
again from the committed rows on its next request; the tour cache's pages are stale too.

Writes that bypass the models' signals (a QuerySet's update(), SQL by hand) are not seen
until the next change or restart: the admin and Wagtail's own actions all send them.
"""

import secrets

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, Site, get_page_models
from wagtail.signals import post_page_move

from mediation import tour_cache


def layout_changed(sender=None, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    from mediation.models import Branding

    # A new random value, not the next number: a change rolled back must not leave its
    # version to be taken again by the next one, whose memo it would then read.
    Branding.objects.update(layout_version=secrets.randbits(62))
    tour_cache.tour_changed()


def follow_layout() -> None:
    """Connect layout_changed to what the layout shows (from an AppConfig's `ready`)."""
    for model in {Page, *get_page_models(), get_image_model(), Site}:
        uid = f"layout:{model._meta.label}"
        post_save.connect(layout_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(layout_changed, sender=model, dispatch_uid=uid + ":delete")
    post_page_move.connect(layout_changed, dispatch_uid="layout:move")
