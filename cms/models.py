"""The public Wagtail site: the home page, plain content pages, and local content of communes.

The schedule itself (communes, stops, workshops) always comes from the data; the pages that
show it are plain views in cms/views.py, so that they exist for all 771 communes whatever the
page tree.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms import schedule
from cms.rich_text import NOTE_FEATURES, HeadingOrder, validate_heading_order
from mediation.models import Branding, Commune
from mediation.prepared import MARKER_PK, PreparedQuery
from mediation.sites import PreparedViewRestrictionsMixin
from mediation.tour_cache import stale_at
from sessions.alerts import ALERT_KEPT_FOR, UNCONFIRMED_KEPT_FOR
from sessions.bus_requests import REQUEST_KEPT_FOR

# Wagtail's Promote tab without "Show in menus": the site's menu is fixed (templates/base.html)
# and reads no page, so the box would do nothing a coordinator could see.
SEARCH_ENGINE_PANELS = Page.promote_panels[:1]


class HomePage(PreparedViewRestrictionsMixin, Page):
    introduction = RichTextField(_("introduction"), blank=True, validators=[validate_heading_order])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    promote_panels = SEARCH_ENGINE_PANELS
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["next_stops"] = schedule.next_stops(limit=10)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A stop leaves the list when it ends: no write says so (mediation.tour_cache).
        return stale_at(response, schedule.first_end(response.context_data["next_stops"]))


class ContentPage(PreparedViewRestrictionsMixin, Page):
    """A plain page of text: legal notice, accessibility statement, privacy notice."""

    body = RichTextField(_("text"), blank=True, validators=[validate_heading_order])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    promote_panels = SEARCH_ENGINE_PANELS
    # Under the site's home page: at the tree's root, outside every site, it has no address.
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        branding = Branding.load()
        if branding.privacy_page_id == self.pk:
            # The facts the law requires, from the settings, whatever the operator wrote.
            # The periods the purge applies (purge_personal_data), stated from its own values.
            context["privacy"] = {
                "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
                "alert_days": ALERT_KEPT_FOR.days,
                "unconfirmed_alert_days": UNCONFIRMED_KEPT_FOR.days,
                "bus_request_days": REQUEST_KEPT_FOR.days,
                "branding": branding,
            }
        return context


class CommuneLocalContent(models.Model):
    """What a town hall adds to its commune's page; the schedule is not edited here."""

    commune = models.OneToOneField(
        Commune,
        verbose_name=_("commune"),
        related_name="local_content",
        on_delete=models.CASCADE,
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_description = models.CharField(
        _("description of the photo"),
        max_length=250,
        blank=True,
        help_text=_("For people who cannot see it. Leave empty if the photo is decorative."),
    )
    note = RichTextField(
        _("note from the town hall"),
        blank=True,
        features=NOTE_FEATURES,
        validators=[HeadingOrder(under=2)],
    )

    panels = [
        FieldPanel("commune"),
        FieldPanel("photo"),
        FieldPanel("photo_description"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("local content of a commune")
        verbose_name_plural = _("local content of communes")

    def __str__(self) -> str:
        return str(self.commune)

    @classmethod
    def of_commune(cls, commune: Commune) -> "CommuneLocalContent | None":
        """What the town hall added to its commune's page, if anything: read with the commune
        when it was loaded with it (cms.schedule.commune_by_slug), else one query."""
        loaded = Commune.local_content.related
        if loaded.is_cached(commune):
            return loaded.get_cached_value(commune)
        found = _local_content.objects(commune_id=commune.pk)
        return found[0] if found else None


# Every commune page reads it: compiled once per process (mediation/prepared.py).
_local_content = PreparedQuery(
    lambda commune_id: (
        CommuneLocalContent.objects.select_related("photo")
        .filter(commune_id=commune_id)
        .order_by("pk")[:1]
    ),
    commune_id=MARKER_PK,
)
