import itertools

import pytest

from tablets.models import Tablet

_numbers = itertools.count(1)


def make_tablet(**overrides) -> Tablet:
    number = next(_numbers)
    values = {
        "asset_tag": f"TST-{number:03d}",
        "serial_number": f"SN-TEST-{number:05d}",
        "make": "Samsung",
        "model_name": "Galaxy Tab A9+",
        "os_name": "Android",
        "os_version": "14",
    } | overrides
    return Tablet.objects.create(**values)


@pytest.fixture
def tablet(db) -> Tablet:
    return make_tablet()
