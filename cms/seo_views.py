"""Small public files: robots.txt, the sitemap, and the branding colour's stylesheet."""

import re

from django.conf import settings
from django.contrib.sitemaps.views import x_robots_tag
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cms.sitemaps import sitemap_xml
from mediation.models import Branding
from mediation.tour_cache import tour_cached

# Staff screens, personal links and the sign-up forms have nothing to index.
DISALLOWED = ["admin", "tablette", "inscription", "r", "alertes", "rapports"]


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{prefix}/" for prefix in DISALLOWED]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('cms:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@x_robots_tag  # the file itself is not for search results (Django's sitemap view says so)
@tour_cached
def sitemap(request: HttpRequest) -> HttpResponse:
    return HttpResponse(sitemap_xml(request), content_type="application/xml")


@require_safe
@cache_control(max_age=86400, public=True)
def branding_css(request: HttpRequest) -> HttpResponse:
    """The operator's colour as a stylesheet, not an inline style: the Content-Security-Policy
    allows no inline style, and a cached page cannot carry each request's nonce. Pages link it
    with the colour in the query string, so a new colour is a new address."""
    colour = Branding.load(request_or_site=request).primary_colour
    css = f":root {{ --accent: {colour}; }}\n" if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else ""
    return HttpResponse(css, content_type="text/css; charset=utf-8")
