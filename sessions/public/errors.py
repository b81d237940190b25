"""What residents read when a service refuses their sign-up: the field it concerns and why.

Keyed by the domain error's `code` (see mediation/errors.py); an unknown code shows no field.
"""

from django.utils.translation import gettext_lazy as _

SERVICE_ERRORS = {
    "duplicate": (
        "phone",
        _("You are already registered for this workshop with this phone number or e-mail."),
    ),
    "full": (None, _("The workshop is full.")),
    "closed": (None, _("Sign-ups for this workshop are closed.")),
    "no_contact": ("phone", _("Give a phone number or an e-mail so that we can reach you.")),
}

# "Prévenez-moi": the alert form's refusals, and the SMS code's.
ALERT_ERRORS = {
    "already_subscribed": ("phone", _("This contact is already told about the van near here.")),
    "one_contact": ("phone", _("Give a phone number or an e-mail, not both.")),
}
# Not a service error: the view counts the codes and links sent to one contact.
TOO_MANY_CODES = _(
    "We have already sent several messages to this contact in the last hour. Please wait an "
    "hour before asking again, or call us."
)
CODE_ERRORS = {
    "wrong_code": _("This code is not the one we sent. Check it and type it again."),
    "expired": _("This code has expired. Ask for a new one below."),
    "too_many_attempts": _("Too many wrong codes. Ask for a new one below."),
}
# "Faites venir le bus": the form checks everything first; this is the last line.
BUS_REQUEST_ERRORS = {
    "no_contact": ("phone", _("Give a phone number or an e-mail so that we can answer you.")),
}
# Any other refusal of a public form, whatever its code.
FORM_REFUSED = _("Your request could not be recorded. Please try again or call us.")
