"""A test's own e-mail backend, set as the running Django reads it: Django 6.1's MAILERS,
or the EMAIL_* settings of Django 5.2 LTS."""

from mediation.mail import MAILERS_API

# A mailer's option and the EMAIL_* setting that Django 5.2 reads for it.
SETTING_OF_OPTION = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "timeout": "EMAIL_TIMEOUT",
    "file_path": "EMAIL_FILE_PATH",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def use_mailer(settings, backend: str, **options) -> None:
    """Send the test's e-mail through `backend` with these options (pytest-django's
    `settings` fixture restores the configuration after the test)."""
    if MAILERS_API:
        settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": options}}
        return
    settings.EMAIL_BACKEND = backend
    for option, value in options.items():
        setattr(settings, SETTING_OF_OPTION[option], value)
