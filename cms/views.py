"""Public pages built from the tour data: search, commune, stop, map and calendar feeds."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import schedule
from cms.addresses import follows_former_commune_slugs
from cms.calendars import feed_response
from cms.models import CommuneLocalContent
from mediation import maps as tour_map
from mediation.commune_search import search_communes
from mediation.models import Commune, Epci, Stop
from mediation.templatetags.french_dates import longdate
from sessions.public.demand_forms import BusRequestForm, StopAlertForm

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
def commune_page(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune.objects.select_related("epci"), slug=slug)
    local = CommuneLocalContent.objects.select_related("photo").filter(commune=commune).first()
    nearby = schedule.nearby_by_distance_band(commune)
    return render(
        request,
        "cms/commune_page.html",
        {
            "commune": commune,
            "local": local,
            "stops": schedule.commune_stops(commune),
            "nearby": nearby,
            "feed_path": reverse("cms:commune_feed", kwargs={"slug": commune.slug}),
            "alert_form": StopAlertForm(),
            "bus_request_form": BusRequestForm(),
        },
    )


@require_GET
def stop_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        stop = schedule.stop_with_workshops(pk)
    except Stop.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "cms/stop_page.html",
        {
            "stop": stop,
            "workshops": stop.workshops.all(),
            "feed_path": reverse("cms:commune_feed", kwargs={"slug": stop.commune.slug}),
        },
    )


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    communes = schedule.communes_with_upcoming_stops()
    links = {
        commune.insee_code: (
            reverse("cms:commune", kwargs={"slug": commune.slug}),
            _("%(commune)s: the van comes on %(date)s")
            % {"commune": commune.name, "date": longdate(commune.next_date)},
        )
        for commune in communes
    }
    base = tour_map.base_map()
    return render(
        request,
        "cms/map_page.html",
        {
            "communes": communes,
            "svg_shapes": tour_map.render_svg_shapes(links=links),
            "width": base.width,
            "height": base.height,
            "attribution": tour_map.ATTRIBUTION,
            "feed_path": reverse("cms:feed"),
        },
    )


@require_GET
def tour_feed(request: HttpRequest) -> HttpResponse:
    return feed_response(request, stops=schedule.feed_stops(), name=None, filename="agenda.ics")


@require_GET
@follows_former_commune_slugs
def commune_feed(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune, slug=slug)
    return feed_response(
        request,
        stops=schedule.feed_stops(commune=commune),
        name=commune.name,
        filename=f"agenda-{commune.slug}.ics",
    )


@require_GET
def epci_feed(request: HttpRequest, slug: str) -> HttpResponse:
    epci = get_object_or_404(Epci, slug=slug)
    return feed_response(
        request,
        stops=schedule.feed_stops(epci=epci),
        name=epci.name,
        filename=f"agenda-{epci.slug}.ics",
    )
