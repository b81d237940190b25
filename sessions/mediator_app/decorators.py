"""One guard for the mediators' app JSON endpoints.

Like healthchecks' `authorize`: the decorated view runs only for a signed-in mediator or
coordinator, its body read by `json_body`; otherwise the client gets a
JSON error with a code it can act on (401: sign in again; 403: not for you; 400: bad body).
"""

import functools
import json
from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mediation.roles import is_coordinator, is_mediator


def is_staff_on_the_tour(user) -> bool:
    return user.is_authenticated and (is_coordinator(user) or is_mediator(user))


def json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


class MalformedBody(Exception):
    """The request body is not JSON; the guard answers 400 "malformed_json"."""


def json_body(request: HttpRequest, *, empty: dict | None = None):
    """The parsed body; a view whose body is optional says what an empty one means."""
    if not request.body and empty is not None:
        return dict(empty)
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedBody from None


def staff_json_endpoint(view: Callable) -> Callable:
    """Refuse strangers (401, 403) and turn a malformed body (see json_body) into a 400."""

    @never_cache
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return json_error(401, "not_authenticated", _("Sign in first."))
        if not is_staff_on_the_tour(request.user):
            return json_error(403, "forbidden", _("This app is for mediators and coordinators."))
        try:
            return view(request, *args, **kwargs)
        except MalformedBody:
            return json_error(400, "malformed_json", _("The request body is not valid JSON."))

    return wrapper
