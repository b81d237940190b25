import pytest

from tests.factories import make_coordinator, make_mediator


@pytest.fixture
def mediator(db):
    return make_mediator("ines")


@pytest.fixture
def coordinator(db):
    return make_coordinator("claire")
