"""The digest that tells a form sent again from a new one (see sessions/sent_by_form.py)."""

import hashlib

from django.http import HttpRequest


def submission_key(request: HttpRequest, *scope: object) -> str:
    """A digest of the form page this POST comes from, within `scope` (the form and what it is
    about): its CSRF token is masked afresh on every page drawn, is the same in every sending
    of one form, and is unknown to anyone else. Empty without a token."""
    token = request.POST.get("csrfmiddlewaretoken", "")
    if not token:
        return ""
    return hashlib.sha256(":".join([*map(str, scope), token]).encode()).hexdigest()
