"""The outcomes a coordinator writes for a module are what the mediator ticks in attendance."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_mediator, make_module, make_registration, make_stop, make_workshop

pytestmark = pytest.mark.django_db


def test_the_attendance_form_offers_the_outcomes_of_the_workshops_module(client):
    mediator = make_mediator()
    today = timezone.localdate()
    stop = make_stop(date=today)
    stop.mediators.add(mediator)
    caf = make_module(title="Créer son compte CAF", outcomes=["Compte CAF créé", "Attestation"])
    other = make_module(outcomes=["Adresse e-mail créée"])
    workshop = make_workshop(stop=stop, module=caf)
    make_registration(workshop=workshop)
    make_workshop(stop=stop, module=other, start_time=dt.time(11, 0), end_time=dt.time(12, 0))

    client.force_login(mediator)
    payload = client.get("/tablette/api/jour/").json()

    # The tablet page draws each workshop's outcome checkboxes from this day's data.
    offered = {
        workshop["title"]: [outcome["label"] for outcome in workshop["outcomes"]]
        for stop_data in payload["stops"]
        for workshop in stop_data["workshops"]
    }
    assert offered["Créer son compte CAF"] == ["Compte CAF créé", "Attestation"]
    assert offered[other.title] == ["Adresse e-mail créée"]
