"""Who runs the service and how it looks (a Wagtail site setting)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from mediation.prepared import MARKER_PK, PreparedQuery


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text
# The footer's links, in its order.
LEGAL_PAGE_FIELDS = ("legal_notice_page", "accessibility_page", "privacy_page")


@register_setting(icon="site")
class Branding(BaseGenericSetting):
    """Who runs the service and how it looks; another operator sets its own."""

    site_name = models.CharField(
        _("name of the service"), max_length=100, default="Le Bus numérique"
    )
    tagline = models.CharField(
        _("tagline"), max_length=150, default="Le numérique vient à vous", blank=True
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#00527a",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour such as #00527a."))],
        help_text=_("Used for links and buttons on white: it must contrast at least 4.5:1."),
    )
    contact_phone = models.CharField(_("phone number for residents"), max_length=30, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    operator_name = models.CharField(_("operator"), max_length=200, blank=True)
    operator_address = models.TextField(_("operator's address"), blank=True)
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("branding and contact")

    @classmethod
    def _get_or_create(cls) -> "Branding":
        """Wagtail's own, with the query compiled once per process: every public page reads
        the branding (from the database, on every request) and compiling the query cost three
        times the database's answer."""
        found = _first_branding.objects()
        branding = found[0] if found else cls.objects.create()
        branding._read_what_the_layout_shows()
        return branding

    def _read_what_the_layout_shows(self) -> None:
        """The logo and the legal pages, which every public page's header and footer show,
        read with the branding: one query for the logo and one for the three pages, each
        compiled once per process, and the site's root paths looked up once for the three
        addresses (a round trip to the cache in production). Read on first use, a link cost
        a generic query and a lookup each: with a logo and three pages, an uncached stop
        page took three times the CPU it takes with none (see docs/benchmarks.md)."""
        if self.logo_id is not None:
            logos = _logo_by_pk.objects(pk=self.logo_id)
            Branding.logo.field.set_cached_value(self, logos[0] if logos else None)
        ids = {getattr(self, field.attname) for field in self._legal_page_fields()} - {None}
        if not ids:
            return
        pages = {page.pk: page for page in _pages_by_pk.objects(ids=sorted(ids))}
        if pages:
            root_paths = Site.get_site_root_paths()
            for page in pages.values():
                # Where Page._get_site_root_paths keeps them when it is given no request.
                page._wagtail_cached_site_root_paths = root_paths
        for field in self._legal_page_fields():
            field.set_cached_value(self, pages.get(getattr(self, field.attname)))

    @classmethod
    def _legal_page_fields(cls) -> list:
        return [cls._meta.get_field(name) for name in LEGAL_PAGE_FIELDS]

    def layout_key(self) -> tuple:
        """All the base layout shows of the branding, as a key (mediation.spliced memoises
        pages on it): the row's own values, the logo's image file and focal point, and the
        titles and addresses of the legal pages. Reads what the layout itself would read."""
        logo = self.logo
        return (
            tuple(getattr(self, field.attname) for field in self._meta.concrete_fields),
            logo
            and (
                logo.pk,
                logo.file.name,
                logo.focal_point_x,
                logo.focal_point_y,
                logo.focal_point_width,
                logo.focal_point_height,
            ),
            tuple(
                page and (page.pk, page.title, page.url)
                for page in (getattr(self, name) for name in LEGAL_PAGE_FIELDS)
            ),
        )

    def clean(self) -> None:
        super().clean()
        if re.fullmatch(r"#[0-9a-fA-F]{6}", self.primary_colour):
            ratio = contrast_ratio(self.primary_colour, "#ffffff")
            if ratio < MINIMUM_CONTRAST:
                raise ValidationError(
                    {
                        "primary_colour": _(
                            "This colour contrasts %(ratio).1f:1 with white; at least 4.5:1 "
                            "is needed for everyone to read it."
                        )
                        % {"ratio": ratio}
                    }
                )


# first(), as Wagtail's _get_or_create reads it.
_first_branding = PreparedQuery(lambda: Branding.base_queryset().order_by("pk")[:1])
_logo_by_pk = PreparedQuery(lambda pk: get_image_model().objects.filter(pk=pk), pk=MARKER_PK)
# What a link to a page needs: its title and address (the content type for `.specific`).
_pages_by_pk = PreparedQuery(
    lambda ids: Page.objects.filter(pk__in=ids).only("title", "url_path", "content_type"), ids=[]
)
