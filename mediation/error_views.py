"""Error pages that Django would otherwise answer in English, without the site's layout."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its missing or stale security token (CSRF_FAILURE_VIEW).

    Django's own page is in English and talks of CSRF and cookies to a resident who only
    pressed "S'inscrire" on a page left open too long: this one says what to do, in the
    site's layout (with its phone number), through the request's context processors.
    """
    return render(request, "403_csrf.html", status=403)
