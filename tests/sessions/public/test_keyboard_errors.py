"""With the keyboard alone and without JavaScript: a form sent with mistakes comes back with
the focus on its list of errors, each of which leads to its field."""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import seed_site
from sessions.models import Registration
from tests.factories import make_commune, make_stop, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def keyboard_page(no_script_page):
    """Without JavaScript, focus can only move by what the HTML says."""
    return no_script_page


def test_a_resident_who_fixes_a_sign_up_error_with_the_keyboard_lands_on_the_error_list(
    live_server, keyboard_page
):
    page = keyboard_page
    commune = make_commune(name="Bourg-de-Test", postal_codes="99120")
    workshop = make_workshop(stop=make_stop(commune=commune), capacity=4)
    seed_site(site_name="Le Bus numérique")

    page.goto(f"{live_server.url}/ateliers/{workshop.pk}/inscription/")
    page.locator("#id_first_name").focus()
    page.keyboard.type("Josiane")
    page.keyboard.press("Enter")

    page.wait_for_selector("#form-errors")
    assert page.title().startswith("Erreur")
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    assert summary.get_by_role("heading").count() == 1
    page.keyboard.press("Tab")
    first_error = summary.get_by_role("link").first
    expect(first_error).to_be_focused()
    assert first_error.get_attribute("href") == "#id_last_name"
    page.keyboard.press("Enter")
    expect(page.locator("#id_last_name")).to_be_focused()
    page.keyboard.type("Vasseur")
    page.locator("#id_phone").focus()
    page.keyboard.type("06 12 34 56 78")
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/inscription/[^/]+/confirmation/$"))
    assert Registration.objects.get().last_name == "Vasseur"


def test_a_resident_who_sends_an_empty_alert_or_visit_request_lands_on_the_error_list(
    live_server, keyboard_page
):
    page = keyboard_page
    commune = make_commune(name="Bourg-de-Test", slug="bourg-de-test", postal_codes="99120")
    seed_site(site_name="Le Bus numérique")

    page.goto(f"{live_server.url}/communes/{commune.slug}/")
    page.locator("#alert-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/prevenez-moi/$"))
    expect(page.locator("#alert-errors")).to_be_focused()

    page.goto(f"{live_server.url}/communes/{commune.slug}/")
    page.locator("#request-title + p + details > summary").focus()
    page.keyboard.press("Enter")
    page.locator("#bus-request-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/faites-venir-le-bus/$"))
    expect(page.locator("#request-errors")).to_be_focused()
