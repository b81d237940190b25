"""Who runs the service and how it looks (a Wagtail site setting)."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images.shortcuts import get_rendition_or_not_found

from mediation.prepared import PreparedQuery


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text
LOGO_FILTER = "height-64"  # the header's logo: 64 pixels high
_logo_markup: dict[tuple, str] = {}
_legal_links: dict[tuple, tuple] = {}


@dataclass(frozen=True)
class LegalLink:
    field: str  # the branding's field: legal_notice_page, accessibility_page, privacy_page
    title: str
    url: str


def _signed_addresses(storage) -> bool:
    """Whether the storage's file addresses expire (django-storages' S3 querystring auth)."""
    return bool(getattr(storage, "querystring_auth", False))


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

    # A new value whenever a page, an image or a site changes (mediation.layout): the logo
    # and the legal links, made once per process for each value, are made again.
    layout_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("branding and contact")

    @classmethod
    def _get_or_create(cls) -> "Branding":
        """Wagtail's own, with the query compiled once per process: every public page reads
        the branding (from the database, on every request) and compiling the query cost three
        times the database's answer."""
        found = _first_branding.objects()
        return found[0] if found else cls.objects.create()

    def _layout_memo_key(self) -> tuple:
        # What the logo and the legal links are made of: the rows the branding names, as
        # they stood at `layout_version` (a new value from mediation.layout on any change to
        # a page, an image or a site).
        return (
            self.layout_version,
            self.logo_id,
            *(getattr(self, f"{n}_id") for n in LEGAL_PAGE_FIELDS),
        )

    @cached_property
    def legal_links(self) -> tuple[LegalLink, ...]:
        """The footer's links to the legal pages that are set, in its order, at Wagtail's
        own addresses (Page.url).

        Made once per process for each state of the pages and sites (see _layout_memo_key):
        read on every request, the three pages and the sites' roots took two thirds of an
        uncached stop page's CPU (docs/benchmarks.md)."""
        key = self._layout_memo_key()
        links = _legal_links.get(key)
        if links is None:
            links = tuple(
                LegalLink(field=name, title=page.title, url=page.url)
                for name, page in ((name, getattr(self, name)) for name in LEGAL_PAGE_FIELDS)
                # An unpublished page answers 404: no link to it from every page's footer.
                if page is not None and page.live and page.url is not None
            )
            _remember(_legal_links, key, links)
        return links

    @property
    def privacy_link(self) -> "LegalLink | None":
        return next((link for link in self.legal_links if link.field == "privacy_page"), None)

    def logo_html(self) -> str:
        """The header's logo, as `{% image logo height-64 alt="" class="site-logo" %}` writes
        it ("" without a logo). Made once per process for each state of the images (see
        _layout_memo_key): Wagtail reads the rendition from the cache and stores it back on
        every call. Never kept when the storage signs its addresses (a bucket without a
        custom domain): they expire. Nor is the stand-in for a missing file.
        """
        if self.logo_id is None:
            return ""
        key = self._layout_memo_key()
        markup = _logo_markup.get(key)
        if markup is None:
            logo = self.logo
            if logo is None:
                return ""
            rendition = get_rendition_or_not_found(logo, LOGO_FILTER)
            markup = rendition.img_tag({"alt": "", "class": "site-logo"})
            if rendition.pk is not None and not _signed_addresses(rendition.file.storage):
                _remember(_logo_markup, key, markup)
        return markup

    def layout_key(self) -> tuple:
        """All the base layout shows of the branding, as a key (mediation.spliced memoises
        pages on it): the row's own values, `layout_version` among them, which the logo and
        the legal links follow (see _layout_memo_key), and the logo's markup itself, which a
        storage that signs its addresses changes on every call."""
        return (
            tuple(getattr(self, field.attname) for field in self._meta.concrete_fields),
            self.logo_html(),
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


def _remember(memo: dict, key: tuple, value) -> None:
    if len(memo) >= 16:  # a few states at a time: the older ones are never asked again
        memo.clear()
    memo[key] = value
