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


def explains_the_marker_before_the_first_field(page: str, form_id: str) -> bool:
    """Whether the form says what "(obligatoire)" means before its first marked field, so a
    screen reader user learns it before meeting it (RGAA 11.10)."""
    form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
    text = form.get_text(" ", strip=True)
    explanation = text.find("Les champs marqués (obligatoire) doivent être remplis.")
    first_marker = text.replace("marqués (obligatoire)", "").find("(obligatoire)")
    return 0 <= explanation <= first_marker


def test_each_form_says_what_the_required_marker_means_before_using_it(client):
    commune = make_commune(name="Bourg-de-Test", slug="bourg-de-test")
    workshop = make_workshop(stop=make_stop(commune=commune))
    seed_site(site_name="Le Bus numérique")

    signup = client.get(f"/ateliers/{workshop.pk}/inscription/").content.decode()
    commune_page = client.get(f"/communes/{commune.slug}/").content.decode()

    assert explains_the_marker_before_the_first_field(signup, "signup-form")
    assert explains_the_marker_before_the_first_field(commune_page, "alert-form")
    assert explains_the_marker_before_the_first_field(commune_page, "bus-request-form")


def test_the_distance_question_reads_whole_before_its_required_marker(client):
    # Read aloud, "Prévenez-moi quand le bus s'arrête à moins de (obligatoire)" cut the
    # sentence before its end, the distances, which come after the legend.
    commune = make_commune(name="Bourg-de-Test", slug="bourg-de-test")
    seed_site(site_name="Le Bus numérique")

    page = client.get(f"/communes/{commune.slug}/").content.decode()

    form = BeautifulSoup(page, "html.parser").find("form", id="alert-form")
    legend = form.find("input", attrs={"name": "alert-radius_km"}).find_parent("fieldset").legend
    question = "Jusqu’à quelle distance de chez vous\u202f? (obligatoire)"
    assert legend.get_text(" ", strip=True) == question
