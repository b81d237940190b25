"""Coordinators answer a resident's request: find by phone or e-mail, download, erase."""

import json

import pytest
from django.urls import reverse

from sessions.models import PersonalDataRequest, Registration
from tests.factories import make_coordinator, make_mediator, make_registration

pytestmark = pytest.mark.django_db

URL = "/admin/donnees-personnelles/"


@pytest.fixture
def odette():
    return make_registration(
        first_name="Odette", last_name="Lemaire", phone="+33671429358", email="odette@example.org"
    )


@pytest.fixture
def claire(client):
    coordinator = make_coordinator()
    client.force_login(coordinator)
    return coordinator


def test_the_screen_has_a_fixed_address():
    assert reverse("personal_data") == URL


def test_a_coordinator_finds_a_resident_by_her_phone_as_she_says_it(client, claire, odette):
    response = client.post(URL, {"contact": "06 71 42 93 58", "action": "find"})

    assert response.status_code == 200
    assert 'id="personal-data-found"' in response.content.decode()
    assert "Lemaire" in response.content.decode()


def test_the_download_holds_what_is_known_and_records_who_asked(client, claire, odette):
    response = client.post(URL, {"contact": "ODETTE@example.org", "action": "export"})

    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["records"]["workshops.Registration"][0]["last_name"] == "Lemaire"
    assert PersonalDataRequest.objects.get().handled_by == claire


def test_erasure_needs_the_box_ticked(client, claire, odette):
    response = client.post(URL, {"contact": "odette@example.org", "action": "erase"})

    assert 'id="id_confirm_erasure-error"' in response.content.decode()
    assert Registration.objects.get(pk=odette.pk).last_name == "Lemaire"


def test_erasure_wipes_her_and_the_screen_lists_who_did_it(client, claire, odette):
    response = client.post(
        URL, {"contact": "odette@example.org", "action": "erase", "confirm_erasure": "on"}
    )

    assert response.status_code == 302
    odette.refresh_from_db()
    assert (odette.first_name, odette.phone, odette.email) == ("", "", "")
    listing = client.get(URL).content.decode()
    assert claire.username in listing
    assert "Odette" not in listing


def test_a_bad_contact_gets_an_error_next_to_the_field(client, claire):
    response = client.post(URL, {"contact": "pas de tel", "action": "find"})
    assert 'id="id_contact-error"' in response.content.decode()


def test_a_mediator_is_refused(client, odette):
    client.force_login(make_mediator())
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    refused = client.post(URL, {"contact": "odette@example.org", "action": "export"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.get(URL).status_code == 302
    assert PersonalDataRequest.objects.count() == 0


@pytest.fixture
def martine():
    """Martine never signed up for a workshop: she asked to be told when the van comes."""
    from django.utils import timezone

    from sessions.models import StopAlert
    from tests.factories import make_commune

    return StopAlert.objects.create(
        commune=make_commune(name="Presville"),
        phone="+33622334455",
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
    )


def test_a_resident_with_only_an_alert_is_found_not_told_nothing_is_held(client, claire, martine):
    response = client.post(URL, {"contact": "06 22 33 44 55", "action": "find"})

    html = response.content.decode()
    assert 'id="personal-data-none"' not in html
    assert 'id="personal-data-by-contact"' in html
    assert 'value="export"' in html and 'value="erase"' in html


def test_erasing_a_resident_with_only_an_alert_deletes_it(client, claire, martine):
    from sessions.models import StopAlert

    response = client.post(
        URL, {"contact": "06 22 33 44 55", "action": "erase", "confirm_erasure": "on"}
    )

    assert response.status_code == 302
    assert not StopAlert.objects.filter(pk=martine.pk).exists()


def test_odette_gets_a_page_she_can_read_not_only_a_json_file(client, claire, odette):
    # Odette, 82, asked by phone what is held about her: Claire prints it for her, in French
    # words, her values in it, no field name of the code, and the request is recorded.
    import uuid

    from django.utils import timezone

    from sessions.models import Attendance

    Attendance.objects.create(
        uuid=uuid.uuid4(),
        registration=odette,
        present=True,
        note="Aide pour Ameli",
        recorded_at=timezone.now(),
    )

    response = client.post(URL, {"contact": "06 71 42 93 58", "action": "print"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    # Her number as she says it, not as the database stores it.
    for value in ["Odette", "Lemaire", "odette@example.org", "Aide pour Ameli", "06 71 42 93 58"]:
        assert value in html
    assert odette.workshop.module.title in html
    for code_word in ["workshops.", "first_name", "token_digest", '"confirmed"', "+33671429358"]:
        assert code_word not in html
    assert PersonalDataRequest.objects.get().kind == "export"
