"""Public pages of the tutorial modules, and their printable handout.

The paths are part of the contract between branches: /modules/<slug>/ is linked from the
stops' pages and opened by mediators from the tablet, so it must stay stable.
"""

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cms.addresses import follows_former_module_slugs, without_query_string
from cms.throttle import HANDOUT_LIMIT, rendered_in_slot, throttled
from mediation.models import Branding, StopStatus, TutorialModule
from mediation.pdf import render_pdf
from mediation.qr import qr_svg_data_uri
from mediation.tour_cache import stale_at, tour_cached
from sessions.models import Workshop

# Enough for the weeks ahead on one screen; the commune pages show the rest of the tour.
UPCOMING_WORKSHOPS_SHOWN = 12


def _public_module(slug: str, *, now: dt.datetime) -> tuple[TutorialModule, list[Workshop]]:
    """The module of `slug` with its upcoming workshops; a 404 once it is neither offered nor
    taught again. A module withdrawn while workshops planned on it are still to come stays
    readable: their stop pages link to it, and their residents need its steps and documents."""
    module = get_object_or_404(TutorialModule.objects.prefetch_related("outcomes"), slug=slug)
    workshops = upcoming_workshops(module, now=now)
    if not module.is_active and not workshops:
        raise Http404
    return module, workshops


def upcoming_workshops(module: TutorialModule, *, now: dt.datetime) -> list[Workshop]:
    """The module's next workshops not yet started at stops that still take place, in one
    query; each with its `signup_state` at `now`."""
    local = timezone.localtime(now)
    workshops = list(
        Workshop.objects.filter(module=module)
        .upcoming(local.date())
        .exclude(stop__date=local.date(), start_time__lte=local.time())
        .exclude(stop__status=StopStatus.CANCELLED)
        .select_related("stop__commune")[:UPCOMING_WORKSHOPS_SHOWN]
    )
    for workshop in workshops:
        workshop.state = workshop.signup_state(now)
    return workshops


@require_safe
@tour_cached
def module_list(request: HttpRequest) -> HttpResponse:
    modules = TutorialModule.objects.active().order_by("title")
    return render(request, "cms/modules/module_list.html", {"modules": modules})


@require_safe
@follows_former_module_slugs
@tour_cached(seats=True)
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    module, workshops = _public_module(slug, now=now)
    introduction, steps = module.grouped_steps()
    context = {
        "module": module,
        "introduction": introduction,
        "steps": steps,
        "workshops": workshops,
        "handout_url": reverse("cms:module_handout", args=[module.slug]),
    }
    response = render(request, "cms/modules/module_detail.html", context)
    # Sign-ups open and close, and workshops start, with the clock: no write says so.
    return stale_at(response, *(workshop.signup_state_changes_at(now) for workshop in workshops))


@require_safe
@follows_former_module_slugs
@throttled(scope="handout", limit=HANDOUT_LIMIT)
@without_query_string
@tour_cached
@rendered_in_slot
def module_handout(request: HttpRequest, slug: str) -> HttpResponse:
    module, _workshops = _public_module(slug, now=timezone.now())
    introduction, steps = module.grouped_steps()
    page_url = settings.SITE_URL + reverse("cms:module_detail", args=[module.slug])
    html = render_to_string(
        "cms/modules/handout.html",
        {
            "module": module,
            "introduction": introduction,
            "steps": steps,
            "branding": Branding.load(),
            "page_url": page_url,
            "qr_code": qr_svg_data_uri(page_url),
        },
        request=request,
    )
    pdf = render_pdf(html, stylesheets=["cms/handout.css"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fiche-{module.slug}.pdf"'
    return response
