"""Test settings: the real settings, with a fast password hasher and a private cache."""

import tempfile

import django

from mediation.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "sessions.sms.LocmemSmsBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
AUTHENTICATION_BACKENDS = [
    "tests.auth.AxesBackendAllowingTestClientLogin",
    "mediation.auth.StaffModelBackend",
]
# Rendering slots of this test process only (parallel runs must not share them).
RENDER_SLOTS_DIR = tempfile.mkdtemp(prefix="render-slots-")
# Tests run at any hour of the real clock: SMS leave at any hour, except in the tests of the
# night (tests/sessions/test_no_sms_at_night.py), which set the production hours.
SMS_DAY_STARTS, SMS_DAY_ENDS = 0, 24
