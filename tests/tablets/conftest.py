import pytest

from tablets.models import Tablet
from tests.factories import make_tablet


@pytest.fixture
def tablet(db) -> Tablet:
    return make_tablet()
