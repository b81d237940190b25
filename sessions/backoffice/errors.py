"""What coordinators and mediators read when a service refuses, by the error's code."""

from django.utils.translation import gettext_lazy as _

ERROR_MESSAGES = {
    "closed": _("This workshop is over or its stop is cancelled."),
    "duplicate": _(
        "This person is already registered for this workshop with this phone number or e-mail."
    ),
    "full": _("The workshop is full and the waiting list was not wanted."),
    "no_contact": _("Give a phone number or an e-mail."),
    "already_cancelled": _("This is already cancelled."),
    "same_workshop": _("This person is already registered for this workshop."),
    "not_promoted": _("This person did not get a seat from the waiting list: no call to record."),
    "refused_by_provider": _(
        "The SMS provider refuses this number for good: only the provider can take it back. "
        "Call this person, or ask for an e-mail address."
    ),
    # A message to a stop's registrants.
    "empty": _("Write the message."),
    "too_long": _("This message is too long for two SMS: shorten it."),
    "no_recipient": _("Nobody is registered there: there is no one to tell."),
    "forbidden": _("Only coordinators and this stop's mediators may message its registrants."),
    # A refused tablet record marked as dealt with, or reopened.
    "unknown_refusal": _("This refused record no longer exists."),
    "already_dealt_with": _("This refused record was already dealt with."),
    "not_dealt_with": _("This refused record is already among those to deal with."),
    "accepted_later": _(
        "The server has since accepted this record: the person is counted, there is nothing to "
        "reopen."
    ),
}

# Triage of requests for a visit: the field each refusal concerns, and why.
DECISION_ERRORS = {
    "no_answer": ("stop", _("Choose the stop or the series of stops that answers the request.")),
    "no_reason": ("decline_reason", _("Say why: the requester reads this reason.")),
    "not_a_decision": ("status", _("Choose planned or declined.")),
    "anonymised": (None, _("This request is too old: its contact details were deleted.")),
}


def error_message(error) -> str:
    """The staff's words for a domain error (any exception with a `code`)."""
    return str(ERROR_MESSAGES.get(error.code, error.code))
