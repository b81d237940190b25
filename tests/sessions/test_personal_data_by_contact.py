"""Data held by contact only (a "Prévenez-moi" alert, a request for a visit) is exported and
erased with the person's registrations."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from sessions.models import BusRequest, StopAlert
from sessions.privacy.services import person_erase, person_export
from tests.factories import make_commune, make_coordinator, make_registration

pytestmark = pytest.mark.django_db

PHONE = "+33671429358"


@pytest.fixture
def martine():
    commune = make_commune(name="Presville")
    make_registration(first_name="Martine", last_name="Leroy", phone=PHONE)
    StopAlert.objects.create(commune=commune, phone=PHONE, consent_at=timezone.now())
    BusRequest.objects.create(
        commune=commune,
        requester_kind="mairie",
        organisation="Mairie de Presville",
        contact_name="Martine Leroy",
        phone=PHONE,
        needs="Déclaration de revenus en mai",
        consent_at=timezone.now(),
    )
    return commune


def test_the_export_includes_her_alert_and_her_request(martine):
    document = json.loads(person_export(contact="06 71 42 93 58", by=make_coordinator()))
    assert document["records"]["workshops.StopAlert"][0]["phone"] == PHONE
    assert (
        document["records"]["workshops.BusRequest"][0]["needs"] == "Déclaration de revenus en mai"
    )


def test_erasure_leaves_her_values_nowhere_in_the_database(martine):
    person_erase(contact="06 71 42 93 58", by=make_coordinator())

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    for value in [PHONE, "Leroy", "Déclaration de revenus en mai"]:
        assert value not in dump.getvalue()
    assert not StopAlert.objects.exists()
    assert BusRequest.objects.get().organisation == "Mairie de Presville"
