"""Settings of the worker processes that tests start: the real settings, read from the
environment the test gives them (database, task backend, SMS provider)."""

from mediation.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
