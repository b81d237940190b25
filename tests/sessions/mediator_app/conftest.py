import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.factories import (
    make_mediator,
    make_module,
    make_registration,
    make_tablet,
    make_workshop,
)


@pytest.fixture
def outsider_mediator(db):
    """A mediator who works other stops than today's."""
    return make_mediator("olivier")


@pytest.fixture
def workshop(mediator):
    workshop = make_workshop(module=make_module(outcomes=["Compte CAF créé", "Mot de passe noté"]))
    workshop.stop.mediators.add(mediator)
    return workshop


@pytest.fixture
def registrations(workshop):
    return [
        make_registration(workshop=workshop, first_name=name, last_name="Martin")
        for name in ("Jeanine", "Marcel", "Odette")
    ]


@pytest.fixture
def tablet(db):
    return make_tablet(asset_tag="TAB-001", serial_number="SN-1")


@pytest.fixture
def record_for():
    """Build a record as the tablet sends it."""

    def build(registration, *, recorded_at=None, **fields):
        return {
            "uuid": str(uuid.uuid4()),
            "recorded_at": (recorded_at or timezone.now() - dt.timedelta(minutes=5)).isoformat(),
            "workshop": registration.workshop_id,
            "registration": str(registration.uuid),
            "present": True,
        } | fields

    return build


@pytest.fixture
def ines(client, mediator):
    """Inès, a mediator, signed in."""
    client.force_login(mediator)
    return client
