"""The Wagtail site of a request, found as Wagtail finds it, by a query compiled once per
process.

Wagtail looks the site up on every request to a page it serves (the home page among them);
compiling its query (a CASE ranking the matches, the root page joined) cost several times
the database's answer. The query and the choice among its rows are Wagtail's
(wagtail.models.sites.get_site_for_hostname); the sites are read on every request.
"""

import functools

from django.db.models import Case, IntegerField, Q, When
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from mediation.prepared import MARKER_PK, PreparedQuery

_sites_for_host = PreparedQuery(
    lambda hostname, port: (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page")
    ),
    hostname="hostname-marker.invalid",
    port=MARKER_PK,
)


def site_for_request(request: HttpRequest) -> Site | None:
    """Site.find_for_request's answer (None when no site matches)."""
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except ValueError:
        return Site.find_for_request(request)
    sites = _sites_for_host.objects(hostname=hostname, port=port)
    if not sites:
        return None
    if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if sites[0].match == MATCH_DEFAULT:
        return sites[len(sites) == 2]
    return None


_specific_pages: dict[type, PreparedQuery] = {}


def specific_page(page: Page) -> Page:
    """page.specific, by a query compiled once per process for each page type: what
    SpecificMixin.get_specific does (fetch the row, keep the page's other attributes)."""
    model = page.specific_class
    if model is None or isinstance(page, model):
        return page
    if model not in _specific_pages:
        _specific_pages[model] = PreparedQuery(
            lambda pk: model._default_manager.filter(id=pk), pk=MARKER_PK
        )
    found = _specific_pages[model].objects(pk=page.pk)
    if not found:
        return page.specific  # Wagtail's own answer (an error), rather than ours
    specific = found[0]
    for name, value in page.__dict__.items():
        specific.__dict__.setdefault(name, value)
    return specific


def with_site(view):
    """Finds the request's site, its root page in its specific form, before a Wagtail view:
    Wagtail reads the site from request._wagtail_site, where Site.find_for_request keeps it,
    and routes from site.root_page.specific, which a specific page already is."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not hasattr(request, "_wagtail_site"):
            site = request._wagtail_site = site_for_request(request)
            if site is not None:
                site.root_page = specific_page(site.root_page)
        return view(request, *args, **kwargs)

    return wrapper


# Per depth of the page: its path and its ancestors' paths, one marker each.
_restriction_queries: dict[int, PreparedQuery] = {}
_RESTRICTION_FIELDS = ("id", "restriction_type", "password", "page_id")


def _restrictions_query(depth: int) -> PreparedQuery:
    if depth not in _restriction_queries:
        markers = {f"path{level}": f"path-marker-{level}" for level in range(1, depth + 1)}
        _restriction_queries[depth] = PreparedQuery(
            lambda **paths: (
                Page.objects.filter(path__in=list(paths.values()))
                .order_by("path", "view_restrictions__id")
                .values_list(
                    "id",
                    "alias_of_id",
                    "view_restrictions__id",
                    "view_restrictions__restriction_type",
                    "view_restrictions__password",
                    "view_restrictions__page",
                )
            ),
            **markers,
        )
    return _restriction_queries[depth]


class PreparedViewRestrictionsMixin:
    """Page.get_view_restrictions, which Wagtail asks on every request to a page it serves,
    read by one query compiled once per process instead of two compiled on each request.

    Wagtail reads the ancestors of the page (their alias_of), then the restrictions of the
    page and its ancestors, an alias standing for its source page. Here the page and its
    ancestors (their paths follow from the page's own path) are read with their restrictions,
    in one query; when any of them is an alias, Wagtail's own code answers. The restrictions
    are still read from the database on every request."""

    def get_view_restrictions(self):
        steplen = self.steplen
        if self.alias_of_id is not None or not self.path or len(self.path) % steplen:
            return super().get_view_restrictions()
        depth = len(self.path) // steplen
        paths = {f"path{level}": self.path[: level * steplen] for level in range(1, depth + 1)}
        rows = _restrictions_query(depth).rows(**paths)
        if any(row[1] is not None for row in rows if row[0] != self.pk):
            return super().get_view_restrictions()
        page_ids = {row[0] for row in rows} | {self.pk}
        restrictions = PageViewRestriction.objects.filter(page_id__in=page_ids)
        # The QuerySet Wagtail returns (the admin filters and orders it), its rows already read.
        restrictions._result_cache = [
            PageViewRestriction.from_db("default", _RESTRICTION_FIELDS, row[2:])
            for row in rows
            if row[2] is not None
        ]
        return restrictions
