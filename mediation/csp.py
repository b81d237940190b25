"""The Wagtail admin's exception to the Content-Security-Policy.

Wagtail's own widgets (date and time choosers, inline panels) write small inline scripts and
style attributes, which carry no nonce. Under /admin/ only, the policy allows inline scripts
and styles; the public pages and the tablet app keep the strict policy of the settings.
"""

from django.urls import reverse
from django.utils.functional import cached_property


class AdminPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.admin_prefix):
            # Without a nonce in the header, browsers honour 'unsafe-inline'.
            response._csp_replace = {
                "script-src": ["'self'", "'unsafe-inline'"],
                "style-src": ["'self'", "'unsafe-inline'"],
            }
        return response
