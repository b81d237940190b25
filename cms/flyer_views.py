"""The flyers as PDF downloads: one commune, or every commune of an intercommunality."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cms.flyers import (
    FlyerPeriodError,
    commune_flyer_pdf,
    epci_flyers_pdf,
    flyer_filename,
    period_from_query,
)
from cms.throttle import FLYER_LIMIT, rendered_in_slot, throttled
from mediation.models import Commune, Epci
from mediation.roles import is_coordinator, is_mediator
from mediation.tour_cache import tour_cached


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    # Inline: the browser shows it and offers to print; the name is used when saved.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def staff_only(view):
    """Coordinators and mediators only; checked before the cache, which knows no user."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (is_coordinator(request.user) or is_mediator(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@throttled(scope="flyer", limit=FLYER_LIMIT)
@tour_cached
@rendered_in_slot
def commune_flyer(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune, slug=slug)
    try:
        period = period_from_query(request.GET)
    except FlyerPeriodError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return _pdf_response(commune_flyer_pdf(commune, period=period), flyer_filename(commune))


@require_safe
@login_required
@staff_only
@throttled(scope="epci_flyers", limit=FLYER_LIMIT)
@tour_cached
@rendered_in_slot
def epci_flyers(request: HttpRequest, slug: str) -> HttpResponse:
    """Every commune's flyer of an EPCI: up to a hundred pages, so for signed-in staff only."""
    epci = get_object_or_404(Epci, slug=slug)
    try:
        period = period_from_query(request.GET)
    except FlyerPeriodError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return _pdf_response(epci_flyers_pdf(epci, period=period), f"affiches-{epci.slug}.pdf")
