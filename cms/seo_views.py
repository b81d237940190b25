"""What search engines read: robots.txt and the sitemap."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from cms.sitemaps import SITEMAPS

# Staff screens, personal links and the sign-up forms have nothing to index.
DISALLOWED = ["admin", "tablette", "inscription", "rapports"]


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{prefix}/" for prefix in DISALLOWED]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('cms:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=3600, public=True)
def sitemap(request: HttpRequest) -> HttpResponse:
    return wagtail_sitemap(request, sitemaps=SITEMAPS)
