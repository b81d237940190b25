"""Checks and normal forms for what residents type: names, French phone numbers, e-mails."""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sessions.message_models import SmsOptOut

# Letters of any script, with spaces, hyphens, apostrophes, dots: "Marie-Thérèse", "St. Jean".
_NAME_ALLOWED = re.compile(r"^[^\W\d_]+(?:[ '’.\-]+[^\W\d_]+)*\.?$")
_MARKUP = re.compile(r"[<>]|&#?\w+;")


def _is_emoji_or_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    return category in {"So", "Sk", "Cs", "Co"} or char in "\u200d\ufe0f"


def clean_person_name(value: str) -> str:
    """A first or last name, stripped and with its spaces collapsed; refuses markup and symbols."""
    value = " ".join(value.split())
    if _MARKUP.search(value):
        raise ValidationError(
            _("Please type your name without the characters < and >."), code="markup"
        )
    if any(unicodedata.category(char) in {"Cc", "Cf"} and char not in "\u200d" for char in value):
        raise ValidationError(_("Your name contains invisible characters."), code="control")
    if any(_is_emoji_or_symbol(char) for char in value):
        raise ValidationError(
            _("Please type your name with letters only, without emoji or symbols."), code="emoji"
        )
    if not _NAME_ALLOWED.match(value):
        raise ValidationError(
            _("Please type your name with letters only (hyphens and apostrophes are fine)."),
            code="invalid",
        )
    return value


# Numbers this process normalised lately, in their normal form: a sign-up's number is
# normalised by its form, then again by the service, which gets the normal form back at once.
# E.164 of a valid number is its own normal form, whatever was typed; only valid ones go in.
_NORMALISED_LATELY: dict[str, None] = {}
_NORMALISED_LATELY_MAX = 1024


def normalise_phone(value: str) -> str:
    """A French phone number in E.164 (+33612345678), or ValidationError."""
    value = value.strip()
    if not value:
        return ""
    if value in _NORMALISED_LATELY:
        return value
    normal = _normalise_phone(value)
    if len(_NORMALISED_LATELY) >= _NORMALISED_LATELY_MAX:
        _NORMALISED_LATELY.clear()
    _NORMALISED_LATELY[normal] = None
    return normal


def _normalise_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("This phone number is not valid. Example: 06 12 34 56 78."), code="invalid"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number is not valid. Example: 06 12 34 56 78."), code="invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Numbers no SMS can reach: a landline ("03 22 …", where many older residents answer), the
# internet box's line ("09 …", VoIP: the home phone of many), free, shared-cost and premium
# numbers. Mobiles, and numbers that may be either, get SMS.
_NO_SMS_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.VOICEMAIL,
    }
)


# SMS go to French numbers only: metropolitan France and the overseas departments and
# communities that French operators bill as domestic. A number abroad (a Belgian neighbour's)
# still signs up, and staff phone it; but a script signing up premium numbers abroad, to have
# the public body pay for texts to them ("SMS pumping"), gets nothing sent.
SMS_REGIONS = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})


def _parsed(phone: str) -> phonenumbers.PhoneNumber | None:
    if not phone:
        return None
    try:
        return phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return None


def _in_france(number: phonenumbers.PhoneNumber) -> bool:
    return phonenumbers.region_code_for_number(number) in SMS_REGIONS


def is_abroad(phone: str) -> bool:
    """True for a valid number outside France (see SMS_REGIONS): no SMS goes there."""
    number = _parsed(phone)
    return number is not None and not _in_france(number)


def can_receive_sms(phone: str) -> bool:
    """False for no number, a number abroad, or one that is certainly not a mobile (a
    landline…); else True."""
    number = _parsed(phone)
    if number is None or not _in_france(number):
        return False
    return phonenumbers.number_type(number) not in _NO_SMS_TYPES


def reached_by_nothing(phone: str, email: str, *, opted_out: frozenset[str] = frozenset()) -> bool:
    """Neither an SMS nor an e-mail reaches this person (a landline, no contact, or a mobile
    among `opted_out`: it answered STOP, see SmsOptOut.among): staff call."""
    return not email and (not can_receive_sms(phone) or phone in opted_out)


def _phone_and_email(contact) -> tuple[str, str]:
    if isinstance(contact, dict):
        return contact["phone"], contact["email"]
    return contact.phone, contact.email


def unreached(contacts: list) -> list:
    """The contacts (rows with "phone" and "email", or registrations) whom neither an SMS nor
    an e-mail reaches, numbers that answered STOP included: one query for those."""
    pairs = [_phone_and_email(contact) for contact in contacts]
    opted_out = SmsOptOut.among(phone for phone, email in pairs if not email)
    return [
        contact
        for contact, (phone, email) in zip(contacts, pairs, strict=True)
        if reached_by_nothing(phone, email, opted_out=opted_out)
    ]


def still_to_call(registrations: list) -> list:
    """Of registrations given a seat from the waiting list and annotated by
    `with_seat_message_failed`, those staff must phone: the seat's message failed for good,
    or no SMS nor e-mail reaches them."""
    unreachable = {
        registration.pk
        for registration in unreached([r for r in registrations if not r.seat_message_failed])
    }
    return [r for r in registrations if r.seat_message_failed or r.pk in unreachable]


def phone_ending(phone: str) -> str:
    """The last two digits, which tell two namesakes apart on the roster ("" if too short to
    be a number)."""
    return phone[-2:] if len(phone) >= 6 else ""


def normalise_email(value: str) -> str:
    return value.strip().lower()


def display_phone(value: str) -> str:
    """ "06 12 34 56 78" for French numbers, international format otherwise."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
