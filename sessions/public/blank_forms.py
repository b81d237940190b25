"""The commune page's two empty forms, rendered through their templates once per process.

Unbound, the forms' markup depends on the code, the language and the URL prefix only, apart
from the commune in the form's action and the CSRF token: rendering their twenty widgets
through Django's form templates on every request was a third of the uncached commune page.
They are rendered once with markers, which each request replaces. A form sent back with errors
is rendered by its view, bound, through the same templates as before.
"""

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sessions.public.demand_forms import BusRequestForm, StopAlertForm

_SLUG_MARKER = "commune-slug-marker"
_TOKEN_MARKER = "csrf-token-marker"
_rendered: dict[tuple, tuple[str, str]] = {}


def _render(template: str, form) -> str:
    html = render_to_string(
        template,
        {"commune": {"slug": _SLUG_MARKER}, "form": form, "csrf_token": _TOKEN_MARKER},
    )
    # Each marker must stand where the request's value goes, and only there.
    if html.count(_TOKEN_MARKER) != 1 or html.count(_SLUG_MARKER) != 1:
        raise ValueError(f"{template}: the CSRF token and the commune must appear once each")
    return html


def demand_forms(request, commune_slug: str) -> tuple[SafeString, SafeString]:
    """The alert form and the bus request form of a commune, empty, for this request."""
    key = (get_language(), get_script_prefix())
    if key not in _rendered:
        _rendered[key] = (
            _render("sessions/public/includes/alert_form.html", StopAlertForm()),
            _render("sessions/public/includes/bus_request_form.html", BusRequestForm()),
        )
    # Gets the token as {% csrf_token %} does, so that the response sets the CSRF cookie.
    token, slug = escape(get_token(request)), escape(commune_slug)
    return tuple(
        mark_safe(html.replace(_TOKEN_MARKER, token).replace(_SLUG_MARKER, slug))  # noqa: S308 - escaped
        for html in _rendered[key]
    )
