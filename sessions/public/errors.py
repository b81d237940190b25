"""What residents read when a service refuses their sign-up: the field it concerns and why.

Keyed by the domain error's `code` (see mediation/errors.py); an unknown code shows no field.
"""

from django.utils.translation import gettext_lazy as _

SERVICE_ERRORS = {
    "duplicate": (
        "phone",
        _("This phone number or e-mail is already registered for this workshop."),
    ),
    "full": (None, _("The workshop is full.")),
    "closed": (None, _("Sign-ups for this workshop are closed.")),
    "no_contact": ("phone", _("Give a phone number or an e-mail so that we can reach you.")),
}
