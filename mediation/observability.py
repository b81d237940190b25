"""What the site tells its operators: request logs, error reports, all without personal data.

Residents' phone numbers and e-mail addresses, and the signed personal links that open their
registrations, must not reach log files or an error-reporting service: `mask` replaces them,
and the log formatter, the Sentry `before_send` hook and the exception reporter of error
e-mails all go through it.
"""

import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import pprint
from django.views.debug import SafeExceptionReporterFilter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers written any usual way (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78),
# and other international ones; never a run of digits inside a date, a time or an identifier.
PHONE = re.compile(
    r"(?<![\w/:+.-])(?:(?:\+|00)33[\s.-]?(?:\(0\))?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\w-])"
    r"|(?<![\w/:+.-])\+[1-9]\d{0,2}(?:[\s.-]?\d){6,12}(?![\w-])"
)
# django.core.signing tokens (the personal links): "payload:signature".
SIGNED_TOKEN = re.compile(r"\.?[\w-]{8,}(?::[\w-]{4,})*:[\w-]{20,}")
# Secrets that are a whole segment of a path, not signed: the SMS short links (/r/<token>),
# the alerts' keys, the SMS provider's webhook token and the staff's private calendar feeds.
PATH_SECRET = re.compile(
    r"(?<=/r/)[\w-]{6,}"
    r"|(?<=/alertes/)[\w-]{6,}"
    r"|(?<=/sms/webhook/)[^/\s?#]+"
    r"|(?<=/agenda/prive/)[\w-]+(?=\.ics)"
)

EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[phone]"
TOKEN_MASK = "[token]"

request_logger = logging.getLogger("mediation.requests")


def mask(text: str) -> str:
    """The text with e-mail addresses, phone numbers and tokens replaced by a label."""
    text = SIGNED_TOKEN.sub(TOKEN_MASK, text)
    text = PATH_SECRET.sub(TOKEN_MASK, text)
    text = EMAIL.sub(EMAIL_MASK, text)
    return PHONE.sub(PHONE_MASK, text)


def mask_data(value):
    """`mask` applied to every string inside nested dicts, lists and tuples."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_data(item) for item in value)
    return value


class MaskingFilter(logging.Filter):
    """Masks the message of every record a handler receives (e-mail subjects included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = ()
        # A traceback quotes the exception's message ("provider refused +336…"): formatters
        # reuse exc_text once set, so masking it here masks it for every handler.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class MaskingFormatter(logging.Formatter):
    """Formats a record as usual (traceback included), then masks personal data in it."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class RequestLogMiddleware:
    """One line per request: method, path, status and duration (no query string, no body)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        request_logger.info(
            "method=%s path=%s status=%s duration_ms=%.1f",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
        )
        return response


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Sentry hook: the event with personal data masked everywhere, and no request body."""
    request = event.get("request")
    if isinstance(request, dict):
        # The sign-up form's body is the resident's name and phone: never sent.
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("query_string", None)
    event.pop("user", None)
    return mask_data(event)


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        before_send=sentry_before_send,
        # Breadcrumbs carry log lines and SQL; they go through the same masking.
        before_breadcrumb=lambda crumb, hint: mask_data(crumb),
    )


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error e-mails to ADMINS show which form fields were sent, never their values."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, _Shown(mask(pprint(value)))) for name, value in variables]


class _Shown(str):
    """A string that the report prints as is (its repr is itself, not a quoted copy)."""

    def __repr__(self) -> str:
        return str(self)
