"""The two public forms of the commune page: "Prévenez-moi" and "Faites venir le bus"."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sessions.contacts import can_receive_sms, clean_person_name, is_abroad
from sessions.demand_models import AlertRadius, RequesterKind
from sessions.forms import AccessibleErrorsMixin, PersonFieldsMixin
from sessions.public.forms import HoneypotForm

NEEDS_MAX_LENGTH = 1000


def _plain_line(value: str) -> str:
    """One line of plain text, its spaces collapsed; no markup."""
    value = " ".join(value.split())
    if "<" in value or ">" in value:
        raise ValidationError(
            _("Please write in plain text, without the characters < and >."), code="markup"
        )
    return value


def _phone_field(help_text):
    return forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}),
    )


def _email_field(help_text):
    return forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class StopAlertForm(AccessibleErrorsMixin, PersonFieldsMixin, HoneypotForm):
    prefix = "alert"

    radius_km = forms.TypedChoiceField(
        label=_("Up to what distance from your home?"),
        choices=AlertRadius.choices,
        coerce=int,
        initial=AlertRadius.KM_20,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a distance.")},
    )
    phone = _phone_field(_("We send you a code by text message. Example: 06 12 34 56 78."))
    email = _email_field(_("Or an e-mail: we send you a link. One of the two is enough."))
    consent = forms.BooleanField(
        label=_(
            "I agree that my phone number or e-mail is kept for a year at most, only to tell "
            "me about the van's stops near my commune"
        ),
        error_messages={"required": _("Please tick this box to be told.")},
    )

    def clean_phone(self):
        phone = super().clean_phone()
        if phone and is_abroad(phone):
            raise ValidationError(
                _(
                    "We send text messages only to French numbers. Give a French mobile "
                    "number, or an e-mail."
                ),
                code="abroad",
            )
        if phone and not can_receive_sms(phone):
            # The code goes by SMS: a landline would never get it, the alert never confirmed.
            raise ValidationError(
                _(
                    "This looks like a landline: we send the code by text message. Give a "
                    "mobile number, or an e-mail."
                ),
                code="landline",
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if "phone" in self.errors or "email" in self.errors:
            return cleaned
        if cleaned.get("phone") and cleaned.get("email"):
            self.add_error(
                "email",
                ValidationError(
                    _("Give a phone number or an e-mail, not both."), code="both_contacts"
                ),
            )
        elif not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error(
                "phone",
                ValidationError(
                    _("Give a phone number or an e-mail so that we can tell you."),
                    code="no_contact",
                ),
            )
        return cleaned


class AlertCodeForm(AccessibleErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Code received by text message"),
        max_length=12,
        error_messages={"required": _("Type the six digits of the code.")},
        help_text=_("Six digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BusRequestForm(AccessibleErrorsMixin, PersonFieldsMixin, HoneypotForm):
    prefix = "request"

    requester_kind = forms.ChoiceField(
        label=_("You are"),
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is asking.")},
    )
    organisation = forms.CharField(
        label=_("Name of the town hall or association (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Type your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = _phone_field(_("Example: 06 12 34 56 78."))
    email = _email_field(_("Give a phone number, an e-mail, or both."))
    expected_people = forms.IntegerField(
        label=_("How many people do you expect? (optional)"),
        required=False,
        min_value=1,
        max_value=500,
        error_messages={
            "min_value": _("Give a number from 1 to 500."),
            "max_value": _("Give a number from 1 to 500."),
            "invalid": _("Give a number, for example 12."),
        },
    )
    venue = forms.CharField(
        label=_("Room or parking available (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: the village hall, the car park behind the church."),
    )
    preferred_period = forms.CharField(
        label=_("Preferred period (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example: a Tuesday morning in May."),
    )
    needs = forms.CharField(
        label=_("What do people need help with? (optional)"),
        required=False,
        max_length=NEEDS_MAX_LENGTH,
        help_text=_("For example: the income tax return in May, a CAF account."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NEEDS_MAX_LENGTH}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and contact details are kept for a year at most, only to "
            "answer this request"
        ),
        error_messages={"required": _("Please tick this box to send the request.")},
    )

    def clean_contact_name(self):
        return clean_person_name(self.cleaned_data["contact_name"])

    def clean_organisation(self):
        return _plain_line(self.cleaned_data["organisation"])

    def clean_venue(self):
        return _plain_line(self.cleaned_data["venue"])

    def clean_preferred_period(self):
        return _plain_line(self.cleaned_data["preferred_period"])

    def clean(self):
        cleaned = super().clean()
        no_contact_errors = "phone" not in self.errors and "email" not in self.errors
        if no_contact_errors and not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error(
                "phone",
                ValidationError(
                    _("Give a phone number or an e-mail so that we can answer you."),
                    code="no_contact",
                ),
            )
        return cleaned
