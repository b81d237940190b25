"""Public pages built from the tour data: search, commune, stop, map and calendar feeds."""

from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import schedule
from cms.addresses import follows_former_commune_slugs
from cms.calendars import feed_response
from cms.models import CommuneLocalContent
from cms.stop_workshops import workshop_items
from cms.structured_data import json_ld, stop_event
from cms.throttle import FEED_LIMIT, throttled
from cms.url_patterns import UrlPattern, url_pattern
from mediation import maps as tour_map
from mediation.commune_search import search_communes
from mediation.models import Branding, Commune, Epci, Stop
from mediation.spliced import render_spliced
from mediation.templatetags.french_dates import longdate
from mediation.text import escape_html
from mediation.tour_cache import stale_at, tour_cached
from sessions.public.blank_forms import demand_forms

# Stops listed on a commune's page; the rest are counted, and all are in its calendar feed.
COMMUNE_PAGE_STOPS = 10
MAX_RESULTS = 50


@require_GET
def commune_search(request: HttpRequest) -> HttpResponse:
    """ "Votre commune": one match goes straight to its page, several are listed."""
    query = request.GET.get("q", "").strip()[:100]
    found = search_communes(query, limit=MAX_RESULTS)
    if len(found.communes) == 1:
        return redirect("cms:commune", slug=found.communes[0].slug)
    return render(
        request,
        "cms/commune_search.html",
        {
            "query": query,
            "communes": found.communes,
            "suggestions": found.suggestions,
            "too_many": found.more,
        },
    )


@require_GET
@follows_former_commune_slugs
@tour_cached
def commune_page(request: HttpRequest, slug: str) -> HttpResponse:
    commune = schedule.commune_by_slug(slug)
    if commune is None:
        raise Http404
    local = CommuneLocalContent.of_commune(commune)
    listed = schedule.commune_schedule(commune, limit=COMMUNE_PAGE_STOPS)
    alert_form, bus_request_form = demand_forms(request, commune.slug)
    feed_path = url_pattern("cms:commune_feed", "slug")(commune.slug)
    flyer_path = url_pattern("cms:commune_flyer", "slug")(commune.slug)
    content = render_to_string(
        "cms/commune_content.html",
        {
            "commune": commune,
            "local": local,
            "stops": listed.stops,
            "more_stops": listed.more_stops,
            "nearby": listed.nearby,
            "feed_path": feed_path,
            "flyer_path": flyer_path,
            "alert_form": alert_form,
            "bus_request_form": bus_request_form,
        },
        request,
    )
    # The layout around the content is the same for every commune: rendered once per process.
    # Its one address for search engines, whatever query or former slug led here.
    canonical_url = settings.SITE_URL + url_pattern("cms:commune", "slug")(commune.slug)
    parts = {
        "commune_name": escape_html(commune.name).encode(),
        "canonical_url": escape_html(canonical_url).encode(),
        "content": content.encode(),
    }
    response = render_spliced(request, "cms/commune_page.html", {}, parts=parts)
    # A stop leaves the lists when it ends: no write says so.
    return stale_at(response, listed.first_end)


@require_GET
@tour_cached(seats=True)
def stop_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        stop, workshops = schedule.stop_with_workshops(pk)
    except Stop.DoesNotExist:
        raise Http404 from None
    event = stop_event(stop, workshops, branding=Branding.load(request))
    now = timezone.now()
    response = render(
        request,
        "cms/stop_page.html",
        {
            "stop": stop,
            "is_over": stop.ends_at <= now,
            "workshops": workshops,
            "workshop_items": workshop_items(workshops, now=now),
            "feed_path": url_pattern("cms:commune_feed", "slug")(stop.commune.slug),
            "event_json_ld": json_ld(event),
        },
    )
    # Sign-ups open and close, and the stop ends, with the clock: no write says so.
    return stale_at(
        response,
        stop.ends_at if stop.ends_at > now else None,
        *(workshop.signup_state_changes_at(now) for workshop in workshops),
    )


@lru_cache(maxsize=4096)
def _map_entry(
    commune: schedule.CommuneVisits, commune_url: UrlPattern, language: str
) -> tuple[str, bytes | None, bytes]:
    """A commune's INSEE code, its link on the map (None if it has no outline) and its item in
    the list: escaped HTML, as UTF-8 (mediation.spliced puts them in the page).

    Memoised on all it depends on (`language` only keys the cache): the commune's row as read
    on this request, the URL pattern (it carries the URL prefix), the language. Hundreds of
    communes make each uncached map, and after a change to the tour most of them still read
    the same: a request then costs one lookup per commune.
    """
    url = commune_url(commune.slug)
    when = longdate(commune.next_date)
    label = _("%(commune)s: the van comes on %(date)s") % {"commune": commune.name, "date": when}
    if commune.stop_count > 1:
        others = commune.stop_count - 1
        when += " " + ngettext("and %(n)s other day", "and %(n)s other days", others) % {
            "n": others
        }
    item = (
        f'<li><a href="{escape_html(url)}">{escape_html(commune.name)}</a>&nbsp;: '
        f"{escape_html(when)}</li>"
    )
    return commune.insee_code, tour_map.marked_shape(commune.insee_code, url, label), item.encode()


@require_GET
@tour_cached
def map_page(request: HttpRequest) -> HttpResponse:
    communes = schedule.communes_with_upcoming_stops()
    base = tour_map.base_map()
    response = render_spliced(
        request,
        "cms/map_page.html",
        {
            "any_commune": bool(communes),
            "width": base.width,
            "height": base.height,
            "attribution": tour_map.ATTRIBUTION,
            "menu_page": "cms:map",
        },
        parts=_map_parts(tuple(communes), url_pattern("cms:commune", "slug"), get_language()),
    )
    # A commune's visit of today leaves the map when it ends: no write says so.
    return stale_at(response, schedule.first_visit_end(communes))


@lru_cache(maxsize=1)
def _map_parts(
    communes: tuple[schedule.CommuneVisits, ...], commune_url: UrlPattern, language: str
) -> dict[str, bytes]:
    """The map's shapes and list, as UTF-8 (built here rather than in a template loop, and
    joined into the page by render_spliced: hundreds of items and shapes).

    Memoised on the rows read on this request (`language` only keys the cache), the last
    ones only: while the tour does not change, a request compares the rows it has just read
    with those (in C) instead of joining hundreds of entries again.
    """
    entries = [_map_entry(commune, commune_url, language) for commune in communes]
    return {
        "svg_shapes": tour_map.svg_shapes(marked={code: link for code, link, _ in entries}),
        "list_items": b"".join([item for _, _, item in entries]),
    }


@require_GET
@throttled(scope="feed", limit=FEED_LIMIT)
@tour_cached
def tour_feed(request: HttpRequest) -> HttpResponse:
    return feed_response(request, stops=schedule.feed_stops(), name=None, filename="agenda.ics")


@require_GET
@follows_former_commune_slugs
@throttled(scope="feed", limit=FEED_LIMIT)
@tour_cached
def commune_feed(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune, slug=slug)
    return feed_response(
        request,
        stops=schedule.feed_stops(commune=commune),
        name=commune.name,
        filename=f"agenda-{commune.slug}.ics",
    )


@require_GET
@throttled(scope="feed", limit=FEED_LIMIT)
@tour_cached
def epci_feed(request: HttpRequest, slug: str) -> HttpResponse:
    epci = get_object_or_404(Epci, slug=slug)
    return feed_response(
        request,
        stops=schedule.feed_stops(epci=epci),
        name=epci.name,
        filename=f"agenda-{epci.slug}.ics",
    )
