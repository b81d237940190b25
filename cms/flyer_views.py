"""The flyers as PDF downloads: one commune's (an intercommunality's are prepared by the task
worker, in the back office)."""

import functools
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cms.addresses import follows_former_commune_slugs
from cms.flyers import (
    FlyerPeriodError,
    build_flyers,
    flyer_filename,
    period_from_query,
    render_flyers,
)
from cms.throttle import FLYER_LIMIT, rendered_in_slot, throttled
from mediation.models import Commune, Epci
from mediation.roles import is_staff_member
from mediation.tour_cache import stale_at, tour_cached


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    # Inline: the browser shows it and offers to print; the name is used when saved.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def staff_only(view):
    """Coordinators and mediators only; checked before the cache, which knows no user."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _period_error(request: HttpRequest, error: FlyerPeriodError, *, back: str) -> HttpResponse:
    """A page that says what is wrong and leads back, rather than bare text."""
    return render(
        request,
        "cms/flyer_period_error.html",
        {"message": str(error), "back": back, "path": request.path},
        status=400,
    )


def canonical_period_query(view):
    """Lead an address with anything more than its period (a tracker's tag, "?mois=02", the
    former "?periode=") to the flyer's own, "?mois=N": each other spelling would be cached
    apart, and rendered again, in the one slot town halls' flyers wait for. A period that
    cannot be read goes on to the view, which says what is wrong."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            period = period_from_query(request.GET)
        except FlyerPeriodError:
            return view(request, *args, **kwargs)
        canonical = [("mois", [str(period.months)])]
        if request.GET and list(request.GET.lists()) != canonical:
            return redirect(f"{request.path}?{urlencode({'mois': period.months})}")
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@follows_former_commune_slugs
@throttled(scope="flyer", limit=FLYER_LIMIT)
@canonical_period_query
@tour_cached(any_user=True)  # a PDF: the same for staff as for a town hall
@rendered_in_slot
def commune_flyer(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune, slug=slug)
    try:
        period = period_from_query(request.GET)
    except FlyerPeriodError as error:
        return _period_error(request, error, back=reverse("cms:commune", args=[commune.slug]))
    flyers = build_flyers([commune], period=period)
    response = _pdf_response(render_flyers(flyers), flyer_filename(commune))
    # A stop leaves the flyer when it ends: no write says so.
    return stale_at(response, flyers[0].first_end)


@require_safe
@login_required
@staff_only
def epci_flyers(request: HttpRequest, slug: str) -> HttpResponse:
    """The former address of an intercommunality's flyers, rendered here until the task
    worker prepared them: on to the back office's flyers page, the intercommunality and the
    period chosen, where one click asks for the file (a hundred pages rendered in a web
    worker held the render slot, and one of the two workers, for seconds)."""
    epci = get_object_or_404(Epci, slug=slug)
    try:
        period = period_from_query(request.GET)
    except FlyerPeriodError as error:
        return _period_error(request, error, back=reverse("cms:map"))
    query = urlencode({"epci": epci.slug, "mois": period.months})
    return redirect(f"{reverse('reports_admin:flyers')}?{query}")
