"""The residents' sign-up form, and the honeypot every public form carries."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sessions.forms import (
    NAME_MAX_LENGTH,
    NEEDS_MAX_LENGTH,
    AccessibleErrorsMixin,
    PersonFieldsMixin,
    find_commune,
)


class HoneypotForm(forms.Form):
    """A field hidden from people (off-screen, out of the tab order) that bots fill in.

    A filled honeypot refuses the whole form (`is_spam`); views answer 400 and save nothing.
    """

    honeypot_message = _("Your request could not be accepted. Please call us.")
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(self.honeypot_message, code="honeypot")
        return cleaned

    @property
    def is_spam(self) -> bool:
        return any(error.code == "honeypot" for error in self.non_field_errors().as_data())


class RegistrationForm(AccessibleErrorsMixin, PersonFieldsMixin, HoneypotForm):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Type your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Type your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    # In the order the page shows them: the list of errors names them in this order.
    home_commune = forms.CharField(
        label=_("Commune where you live"),
        max_length=100,
        error_messages={"required": _("Type the name or the postal code of your commune.")},
        help_text=_("Its name or its postal code."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        help_text=_("For a reminder by text message. Example: 06 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("Give a phone number, an e-mail, or both."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    needs = forms.CharField(
        label=_("Anything we should know? (optional)"),
        required=False,
        max_length=NEEDS_MAX_LENGTH,
        help_text=_("For example: I need help with my password. 500 characters at most."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NEEDS_MAX_LENGTH}),
    )
    waiting_list_ok = forms.BooleanField(
        label=_("If the workshop is full, put me on the waiting list"),
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and contact details are used to organise this workshop "
            "and to contact me about it"
        ),
        error_messages={"required": _("Please tick this box to sign up.")},
    )
    honeypot_message = _("Your request could not be accepted. Please call us to sign up.")

    def clean_home_commune(self):
        return find_commune(self.cleaned_data["home_commune"])

    def clean(self):
        cleaned = super().clean()
        phone_ok = "phone" not in self.errors and cleaned.get("phone")
        email_ok = "email" not in self.errors and cleaned.get("email")
        if (
            not phone_ok
            and not email_ok
            and "phone" not in self.errors
            and ("email" not in self.errors)
        ):
            self.add_error(
                "phone",
                ValidationError(
                    _("Give a phone number or an e-mail so that we can reach you."),
                    code="no_contact",
                ),
            )
        return cleaned
