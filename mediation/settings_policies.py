"""Two long settings kept out of settings.py: the Content-Security-Policy and the logging."""

from csp.constants import NONE, SELF

SITE_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The hash of the bare error pages' own styles, which render without a request
        # (templates/bare_error.html: the 400 and 500 pages; tests/cms/test_csp.py checks it).
        "style-src": [SELF, "'sha256-uQ2AMgsGQMAJSEkGvnbAwCoqmcRu6VMPB8Xmt0V0Y8Y='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}


def logging_config(*, level: str) -> dict:
    """Every line on standard error, phones and e-mail addresses masked; errors by e-mail to
    ADMINS; the chattiest libraries quietened."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_personal_data": {"()": "mediation.observability.MaskingFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "line": {
                "()": "mediation.observability.MaskingFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "filters": ["mask_personal_data"],
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false", "mask_personal_data"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["mail_admins"], "level": "INFO"},
            # Our own request line replaces the development server's.
            "django.server": {"level": "WARNING"},
            "django.db.backends": {"level": "WARNING"},
            # Wagtail logs every page save and background task at INFO: noise in commands.
            "wagtail": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},  # Django 5.2's backport
            "django.tasks": {"level": "WARNING"},
            # WeasyPrint logs every rendering step, and fontTools every WOFF2 font it opens.
            "weasyprint.progress": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
