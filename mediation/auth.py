"""Staff authentication: Django's model backend, minus the demo's published password.

The demo (`seed_demo`) gives every account a password printed in the README. A production
database seeded by mistake must not open the back office to anyone who read it: in
production, that password never authenticates, whatever the account.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from mediation.demo import DEMO_PASSWORD


class StaffModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
