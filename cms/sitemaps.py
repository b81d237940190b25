"""sitemap.xml: the commune, stop and module pages (plain views) beside Wagtail's pages.

The commune pages are Django views, not Wagtail pages, so Wagtail's own sitemap misses them:
each kind of public page has its section here.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from mediation.models import Commune, Stop, TutorialModule


class _PublicAddress:
    """The public address (SITE_URL) as the `site` Django's sitemaps build URLs from."""

    def __init__(self):
        parts = urlsplit(settings.SITE_URL)
        self.protocol, self.domain = parts.scheme, parts.netloc


class PublicSitemap(Sitemap):
    """URLs on SITE_URL, whatever host or scheme the request reached the server with."""

    def get_urls(self, page=1, site=None, protocol=None):
        public = _PublicAddress()
        return super().get_urls(page=page, site=public, protocol=public.protocol)


class PagesSitemap(WagtailSitemap):
    """Wagtail's pages, on SITE_URL too (Wagtail's Site record may still say localhost)."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = settings.SITE_URL + urlsplit(url["location"]).path
        return urls


class CommuneSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self):
        return Commune.objects.only("slug").order_by("slug")

    def location(self, commune: Commune) -> str:
        return reverse("cms:commune", kwargs={"slug": commune.slug})


class StopSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self):
        return Stop.objects.only("pk", "updated_at").order_by("pk")

    def location(self, stop: Stop) -> str:
        return reverse("cms:stop", kwargs={"pk": stop.pk})

    def lastmod(self, stop: Stop):
        return stop.updated_at


class ModuleSitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        return TutorialModule.objects.active().only("slug").order_by("slug")

    def location(self, module: TutorialModule) -> str:
        return reverse("cms:module_detail", kwargs={"slug": module.slug})


SITEMAPS = {
    "pages": PagesSitemap,
    "communes": CommuneSitemap,
    "stops": StopSitemap,
    "modules": ModuleSitemap,
}
