"""The public sign-up form, and the staff form for registrations taken by phone."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mediation.models import Commune
from mediation.text import normalize_for_search
from sessions.contacts import clean_person_name, normalise_email, normalise_phone

NAME_MAX_LENGTH = 100
NEEDS_MAX_LENGTH = 500


class AccessibleErrorsMixin:
    """Ties each field to its error message and help text for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described_by = []
            if name in self.errors:
                described_by.append(f"{self[name].auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if field.help_text:
                described_by.append(f"{self[name].auto_id}_helptext")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


def find_commune(text: str) -> Commune:
    """The commune a resident typed (a name or a postal code), or a ValidationError."""
    matches = list(Commune.objects.search(text)[:6])
    query = normalize_for_search(text)
    exact = [commune for commune in matches if commune.search_name == query]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationError(
            _("We do not know this commune. Type its name, for example: Abbeville."),
            code="unknown",
        )
    raise ValidationError(
        _("Several communes match. Which one: %(names)s?"),
        code="ambiguous",
        params={"names": ", ".join(commune.name for commune in matches[:5])},
    )


class PersonFieldsMixin:
    def clean_first_name(self):
        return clean_person_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        value = self.cleaned_data["last_name"]
        return clean_person_name(value) if value.strip() else ""

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_needs(self):
        value = self.cleaned_data["needs"].strip()
        if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
            raise ValidationError(_("This text contains invisible characters."), code="control")
        if "<" in value and ">" in value:
            raise ValidationError(
                _("Please write in plain text, without the characters < and >."), code="markup"
            )
        return value


class RegistrationForm(AccessibleErrorsMixin, PersonFieldsMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
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
    home_commune = forms.CharField(
        label=_("Commune where you live"),
        max_length=100,
        help_text=_("Its name or its postal code."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
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
    # A honeypot: hidden from people (off-screen, out of the tab order), filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_home_commune(self):
        return find_commune(self.cleaned_data["home_commune"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("Your request could not be accepted. Please call us to sign up."),
                code="honeypot",
            )
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

    @property
    def is_spam(self) -> bool:
        return any(error.code == "honeypot" for error in self.non_field_errors().as_data())
