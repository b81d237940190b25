"""Guards for the public endpoints that cost the server most: PDFs and calendar feeds.

Each one is rate-limited per client (an IPv4 address or an IPv6 /64, see sessions.public.ratelimit);
PDFs are also rendered in one of a few slots shared by every worker (mediation.render_slots),
so that a burst of flyer requests never holds every worker while residents wait for a page.
"""

import functools

from django.http import HttpResponse
from django.utils.translation import gettext as _

from mediation.render_slots import RenderBusy, render_slot
from sessions.public.ratelimit import rate_limit_allows

WINDOW_SECONDS = 600
# Per client and per ten minutes: a town hall prints a few flyers, a phone polls a calendar
# every few hours; calendar services poll many calendars from one address, hence the margin.
FLYER_LIMIT = 20
HANDOUT_LIMIT = 30
FEED_LIMIT = 120
RETRY_AFTER_SECONDS = 30


def _refusal(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS if status == 503 else WINDOW_SECONDS)
    return response


def throttled(*, scope: str, limit: int):
    """Rate-limit a public view per client. Put it outside the tour cache's decorator, so that
    cached answers count too, and `rendered_in_slot` inside it, so that only renders wait."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not rate_limit_allows(request, scope=scope, limit=limit, window=WINDOW_SECONDS):
                return _refusal(429, _("Too many requests: please try again in a few minutes."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def rendered_in_slot(view):
    """Render a PDF in one of the slots shared by every worker; when all are taken, say so at
    once (503 with Retry-After) instead of holding a worker while residents wait for a page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            with render_slot():
                return view(request, *args, **kwargs)
        except RenderBusy:
            return _refusal(503, _("The server is busy printing: please try again shortly."))

    return wrapper
