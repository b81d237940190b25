"""French phone numbers in their normal form (E.164), however typed, and only valid ones."""

import pytest
from django.core.exceptions import ValidationError

from sessions.contacts import normalise_phone


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
