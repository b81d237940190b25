"""Every field a resident must fill in says so in words, not by a colour or a star: the
sign-up, "Prévenez-moi" and "Faites venir le bus" forms (RGAA 11.10)."""

import pytest
from bs4 import BeautifulSoup

from cms.demo import seed_site
from tests.factories import make_commune, make_stop, make_workshop

pytestmark = pytest.mark.django_db


def unmarked_required_fields(page: str, form_id: str) -> list[str]:
    """The required controls of the form whose label (or legend, for a group of radio
    buttons) does not say "(obligatoire)"."""
    form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
    unmarked = []
    for control in form.find_all(["input", "textarea", "select"], required=True):
        if control.get("type") == "radio":
            words = control.find_parent("fieldset").legend.get_text()
        else:
            words = form.find("label", attrs={"for": control["id"]}).get_text()
        if "(obligatoire)" not in words:
            unmarked.append(control["name"])
    return unmarked


def test_a_resident_reads_which_sign_up_fields_are_required(client):
    workshop = make_workshop(stop=make_stop(commune=make_commune(name="Bourg-de-Test")))

    page = client.get(f"/ateliers/{workshop.pk}/inscription/").content.decode()

    assert unmarked_required_fields(page, "signup-form") == []


def test_a_resident_reads_which_alert_and_visit_request_fields_are_required(client):
    commune = make_commune(name="Bourg-de-Test", slug="bourg-de-test")
    seed_site(site_name="Le Bus numérique")

    page = client.get(f"/communes/{commune.slug}/").content.decode()

    assert unmarked_required_fields(page, "alert-form") == []
    assert unmarked_required_fields(page, "bus-request-form") == []
