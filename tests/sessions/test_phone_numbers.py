"""French phone numbers in their normal form (E.164), however typed, and only valid ones."""

import pytest
from django.core.exceptions import ValidationError

from sessions.contacts import can_receive_sms, is_abroad, normalise_phone


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78"])
def test_a_number_however_typed_and_its_normal_form_give_the_normal_form(typed):
    normal = normalise_phone(typed)

    assert normal == "+33612345678"
    assert normalise_phone(normal) == normal  # the service's second pass, remembered


@pytest.mark.parametrize("typed", ["06 12 34", "12345678901234", "not a number"])
def test_an_invalid_number_is_refused_every_time(typed):
    for _ in range(2):
        with pytest.raises(ValidationError):
            normalise_phone(typed)


@pytest.mark.parametrize(
    ("typed", "abroad", "texted"),
    [
        ("06 12 34 56 78", False, True),  # a mobile in the Somme
        ("03 22 71 80 00", False, False),  # a landline: staff phone it
        ("+262 692 12 34 56", False, True),  # a mobile on La Réunion: France, texted
        ("+32 470 12 34 56", True, False),  # a Belgian mobile: signs up, is phoned
        ("+44 7911 123456", True, False),  # a British mobile
    ],
)
def test_only_french_numbers_are_texted(typed, abroad, texted):
    # SMS cost the public body per message: a script signing up numbers abroad, to pump
    # texts to them, must get none sent. French overseas numbers are France.
    normal = normalise_phone(typed)

    assert is_abroad(normal) is abroad
    assert can_receive_sms(normal) is texted
