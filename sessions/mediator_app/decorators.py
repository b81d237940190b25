"""One guard for the mediators' app JSON endpoints.

Like healthchecks' `authorize`: the decorated view runs only for a signed-in mediator or
coordinator, its body read by `json_body` (mediation.json_api: malformed, too large or nested
too deep); otherwise the client gets a JSON error with a code it can act on (401: sign in
again; 403: not for you; 400: bad body).
"""

import functools
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mediation.json_api import JsonBodyError, json_body, json_error
from mediation.roles import is_coordinator, is_mediator

__all__ = ["is_staff_on_the_tour", "json_body", "json_error", "staff_json_endpoint"]


def is_staff_on_the_tour(user) -> bool:
    return user.is_authenticated and (is_coordinator(user) or is_mediator(user))


def staff_json_endpoint(view: Callable) -> Callable:
    """Refuse strangers (401, 403) and turn a bad body (see json_body) into a 400."""

    @never_cache
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return json_error(401, "not_authenticated", _("Sign in first."))
        if not is_staff_on_the_tour(request.user):
            return json_error(403, "forbidden", _("This app is for mediators and coordinators."))
        try:
            return view(request, *args, **kwargs)
        except JsonBodyError as error:
            return json_error(400, error.code, str(error))

    return wrapper
