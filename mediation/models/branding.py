"""Who runs the service and how it looks (a Wagtail site setting)."""

import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page, Site

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

    class Meta:
        verbose_name = _("branding and contact")

    @classmethod
    def _get_or_create(cls) -> "Branding":
        """Wagtail's own, with the query compiled once per process: every public page reads
        the branding (from the database, on every request) and compiling the query cost three
        times the database's answer. The same query reads what the layout shows with it:
        the logo, and the legal pages' titles and paths (see legal_links)."""
        found = _first_branding.objects()
        return found[0] if found else cls.objects.create()

    @cached_property
    def legal_links(self) -> tuple[LegalLink, ...]:
        """The footer's links to the legal pages that are set, in its order.

        Read with the branding, as plain values: made into Wagtail pages on every request
        (one query and one cache lookup each, then a model instance), three links took two
        thirds of an uncached stop page's CPU (docs/benchmarks.md). Each page's address is
        still Wagtail's own (Page.url), worked out once per process for each path and each
        state of the sites' roots, which are read on every request."""
        rows = [
            (name, getattr(self, f"{name}_id"), *_read_with_branding(self, name))
            for name in LEGAL_PAGE_FIELDS
        ]
        if not any(pk for _, pk, *_ in rows):
            return ()
        root_paths = tuple(Site.get_site_root_paths())
        links = []
        for name, pk, title, url_path in rows:
            if pk is None or title is None:  # not set, or deleted meanwhile
                continue
            url = _page_url(pk, url_path, root_paths)
            if url is not None:
                links.append(LegalLink(field=name, title=title, url=url))
        return tuple(links)

    @property
    def privacy_link(self) -> "LegalLink | None":
        return next((link for link in self.legal_links if link.field == "privacy_page"), None)

    def logo_html(self) -> str:
        """The header's logo, as `{% image logo height-64 alt="" class="site-logo" %}` writes
        it ("" without a logo). Memoised per process on what its rendition depends on (the
        image, its file and its focal point): Wagtail looks the rendition up in the cache and
        stores it back on every call, two round trips for each uncached page. Never memoised
        when the storage signs its addresses (a bucket without a custom domain): they expire.
        """
        logo = self.logo
        if logo is None:
            return ""
        key = (
            logo.pk,
            logo.file.name,
            logo.focal_point_x,
            logo.focal_point_y,
            logo.focal_point_width,
            logo.focal_point_height,
        )
        markup = _logo_markup.get(key)
        if markup is None:
            rendition = get_rendition_or_not_found(logo, LOGO_FILTER)
            markup = rendition.img_tag({"alt": "", "class": "site-logo"})
            # A missing file gives a stand-in, not saved: the next request tries again.
            if rendition.pk is not None and not _signed_addresses(rendition.file.storage):
                if len(_logo_markup) >= 8:  # logos replaced in the admin: a handful
                    _logo_markup.clear()
                _logo_markup[key] = markup
        return markup

    def layout_key(self) -> tuple:
        """All the base layout shows of the branding, as a key (mediation.spliced memoises
        pages on it): the row's own values, the logo's image file and focal point, and the
        titles and addresses of the legal pages. Reads what the layout itself would read."""
        return (
            tuple(getattr(self, field.attname) for field in self._meta.concrete_fields),
            self.logo_html(),  # signed addresses change: the memo of the page follows them
            self.legal_links,
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


# first(), as Wagtail's _get_or_create reads it, with the logo and the legal pages' titles and
# paths (left joins: each may be unset).
_first_branding = PreparedQuery(
    lambda: (
        Branding.base_queryset()
        .select_related("logo")
        .annotate(
            **{
                f"_{name}_{column}": F(f"{name}__{column}")
                for name in LEGAL_PAGE_FIELDS
                for column in ("title", "url_path")
            }
        )
        .order_by("pk")[:1]
    )
)


def _read_with_branding(branding: Branding, name: str) -> tuple[str | None, str | None]:
    """The title and path of a legal page, as _first_branding read them; read through the
    foreign key for a branding that query did not read (the admin's, a test's)."""
    try:
        return getattr(branding, f"_{name}_title"), getattr(branding, f"_{name}_url_path")
    except AttributeError:
        page = getattr(branding, name)
        return (page.title, page.url_path) if page else (None, None)


@functools.lru_cache(maxsize=64)
def _page_url(pk: int, url_path: str, root_paths: tuple) -> str | None:
    page = Page(id=pk, url_path=url_path)
    # Where Page._get_site_root_paths keeps the roots when it is given no request.
    page._wagtail_cached_site_root_paths = list(root_paths)
    return page.url
