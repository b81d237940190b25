"""The Wagtail admin's exception to the Content-Security-Policy.

Wagtail's own widgets (date and time choosers, inline panels) write small inline scripts and
style attributes, which carry no nonce. Under /admin/ only, the policy allows inline scripts
and styles; the public pages and the tablet app keep the strict policy of the settings.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
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


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header of the plain policy built once per process.

    Most responses carry the settings' policy as it is: no nonce (no template asked for one),
    no change made by a view. django-csp copies the policy's parts and builds the header anew
    for each response, a tenth of an uncached page's time; here that header is kept, per
    policy in the settings. Any other response (a nonce, a view's change, as under /admin/)
    is left to django-csp itself.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        plain = getattr(request, "_csp_nonce", None) is None and not any(
            getattr(response, name, None) for name in _RESPONSE_CHANGES
        )
        if not plain or (settings.DEBUG and response.status_code in (404, 500)):
            return super().process_response(request, response)
        for header, setting, exempt in _HEADERS:
            policy = getattr(settings, setting, None)
            built = _plain_policy(header, policy)
            prefixes = (policy or {}).get("EXCLUDE_URL_PREFIXES") or ()
            excluded = request.path_info.startswith(tuple(prefixes))
            exempted = getattr(response, exempt, False) or excluded
            if built and header not in response and not exempted:
                response[header] = built
        # As django-csp does: a nonce asked for after the header is written is an error.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_RESPONSE_CHANGES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_HEADERS = (
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
)


_plain_policies: dict[str, tuple[object, str]] = {}


def _plain_policy(header: str, policy: dict | None) -> str:
    """The header django-csp builds from the settings' `policy`, kept while that setting is
    the same object (tests that change it get a new one)."""
    known = _plain_policies.get(header)
    if known is None or known[0] is not policy:
        built = build_policy(report_only=header == HEADER_REPORT_ONLY)
        known = _plain_policies[header] = (policy, built)
    return known[1]
