"""Outgoing e-mail through the running Django's own API: Django 6.1's mailers (the MAILERS
setting), or the connection that Django 5.2 LTS builds from the EMAIL_* settings. The
settings (mediation/settings.py) configure one or the other from the same environment."""

from pathlib import Path

import django
from django.conf import settings
from django.core import mail

MAILERS_API = django.VERSION >= (6, 1)
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def default_mailer():
    """The configured backend, not yet opened, with the relay's timeout when it has one."""
    if MAILERS_API:
        return mail.mailers.default
    return mail.get_connection(timeout=settings.EMAIL_TIMEOUT)


def mail_file_path() -> Path | None:
    """The folder of the file backend's messages: the file mailer's, when it is the one
    configured, else the folder EMAIL_FILE_PATH names (one left by an earlier setting still
    holds people's messages)."""
    if MAILERS_API:
        mailer = getattr(settings, "MAILERS", {}).get("default", {})
        if mailer.get("BACKEND") == FILE_BACKEND and mailer.get("OPTIONS", {}).get("file_path"):
            return Path(mailer["OPTIONS"]["file_path"])
        path = getattr(settings, "MAIL_FILE_PATH", None)
    else:
        path = getattr(settings, "EMAIL_FILE_PATH", None)
    return Path(path) if path else None
