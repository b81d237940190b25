"""sitemap.xml: Wagtail's pages, then the commune, stop and module pages (plain views).

The commune pages are Django views, not Wagtail pages, so Wagtail's own sitemap misses them:
each kind of public page has its section here.

Three years of a tour are some 6,000 stops. Through Django's sitemap framework, a `reverse()`
per URL and the template's tags per element made the file cost 416 ms at that volume; the
sections of this site's own pages are now written from plain rows and URL patterns (the same
elements, the same values). Wagtail's pages, a handful, keep Wagtail's sitemap.

One file, no sitemap index: the protocol allows 50,000 URLs in a file, and a tour adds about
2,000 stops a year to 771 communes.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from cms.url_patterns import url_pattern
from mediation.models import Commune, Stop, TutorialModule
from mediation.text import escape_html

XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
XML_TAIL = "</urlset>\n"


class PagesSitemap(WagtailSitemap):
    """Wagtail's pages, on SITE_URL too (Wagtail's Site record may still say localhost)."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = settings.SITE_URL + urlsplit(url["location"]).path
        return urls


class _PublicSite:
    """SITE_URL's scheme and host, as the `site` Django's sitemaps build URLs from: URLs are
    on it whatever host the request reached."""

    def __init__(self):
        parts = urlsplit(settings.SITE_URL)
        self.protocol, self.domain = parts.scheme, parts.netloc
        self.origin = f"{self.protocol}://{self.domain}"


def url_element(
    location: str,
    *,
    lastmod: dt.date | dt.datetime | None = None,
    changefreq: str = "",
    priority: object = None,
    alternates: Iterable[dict] = (),
) -> str:
    """One <url>, with the elements Django's sitemap template writes for the same values
    (a datetime's day in the current time zone, as its `date` filter gives it)."""
    parts = [f"<url><loc>{escape_html(location)}</loc>"]
    if lastmod:
        if isinstance(lastmod, dt.datetime):
            lastmod = timezone.localtime(lastmod) if timezone.is_aware(lastmod) else lastmod
            lastmod = lastmod.date()
        parts.append(f"<lastmod>{lastmod.isoformat()}</lastmod>")
    if changefreq:
        parts.append(f"<changefreq>{escape_html(changefreq)}</changefreq>")
    if priority:
        parts.append(f"<priority>{escape_html(priority)}</priority>")
    parts += [
        f'<xhtml:link rel="alternate" hreflang="{escape_html(alternate["lang_code"])}" '
        f'href="{escape_html(alternate["location"])}"/>'
        for alternate in alternates
    ]
    parts.append("</url>\n")
    return "".join(parts)


def _wagtail_pages(request, site: _PublicSite) -> Iterator[str]:
    for url in PagesSitemap(request).get_urls(site=site, protocol=site.protocol):
        yield url_element(
            url["location"],
            lastmod=url.get("lastmod"),
            changefreq=url.get("changefreq") or "",
            priority=url.get("priority"),
            alternates=url.get("alternates") or (),
        )


def _communes(origin: str) -> Iterator[str]:
    commune_url = url_pattern("cms:commune", "slug")
    for slug in Commune.objects.order_by("slug").values_list("slug", flat=True):
        yield url_element(origin + commune_url(slug), changefreq="weekly")


def _stops(origin: str) -> Iterator[str]:
    stop_url = url_pattern("cms:stop", "pk")
    for pk, updated_at in Stop.objects.order_by("pk").values_list("pk", "updated_at"):
        yield url_element(origin + stop_url(pk), lastmod=updated_at, changefreq="weekly")


def _modules(origin: str) -> Iterator[str]:
    module_url = url_pattern("cms:module_detail", "slug")
    modules = TutorialModule.objects.active().order_by("slug").values_list("slug", flat=True)
    for slug in modules:
        yield url_element(origin + module_url(slug), changefreq="monthly")


def sitemap_xml(request) -> bytes:
    """The whole sitemap: Wagtail's pages, then the communes, the stops and the modules."""
    site = _PublicSite()
    return "".join(
        [
            XML_HEAD,
            *_wagtail_pages(request, site),
            *_communes(site.origin),
            *_stops(site.origin),
            *_modules(site.origin),
            XML_TAIL,
        ]
    ).encode()
