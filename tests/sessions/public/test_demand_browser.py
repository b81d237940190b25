"""In a real browser, without JavaScript: the commune page offers "Prévenez-moi" and
"Faites venir le bus"; both forms and the pages after them pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import seed_site
from sessions import sms
from sessions.demand_models import BusRequest, StopAlert
from tests.accessibility import axe_violations
from tests.factories import make_commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_asks_to_be_told_and_a_town_hall_asks_for_the_van(
    live_server, page, no_script_page
):
    commune = make_commune(name="Bourg-de-Test", slug="bourg-de-test", postal_codes="99120")
    seed_site(site_name="Le Bus numérique")
    sms.outbox.clear()
    url = f"{live_server.url}/communes/{commune.slug}/"

    page.goto(url)
    assert axe_violations(page) == []
    page.locator("#request-title + p + details > summary").click()
    expect(page.locator("#bus-request-form")).to_be_visible()
    assert axe_violations(page) == []

    # Without JavaScript: tell me within 10 km, by text message, then the code.
    no_script_page.goto(url)
    no_script_page.get_by_label("10 km").check()
    no_script_page.locator("#id_alert-phone").fill("06 12 34 56 78")
    no_script_page.locator("#id_alert-consent").check()
    no_script_page.locator("#alert-form button[type=submit]").click()
    no_script_page.wait_for_url(re.compile(r"/alertes/[^/]+/code/$"))
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    no_script_page.locator("#id_code").fill("000000" if code != "000000" else "111111")
    no_script_page.locator("#alert-code-form button[type=submit]").click()
    # The page answers at the same address: wait for the error, not for a new URL.
    expect(no_script_page.locator("#id_code_error")).to_be_visible()
    assert axe_violations(page_at(page, no_script_page.url)) == []
    no_script_page.locator("#id_code").fill(code)
    no_script_page.locator("#alert-code-form button[type=submit]").click()
    expect(no_script_page.locator("#alert-confirmed")).to_be_visible()
    assert StopAlert.objects.get().radius_km == 10

    # The request form sent empty comes back with the errors next to the fields.
    no_script_page.goto(url)
    no_script_page.locator("#request-title + p + details > summary").click()
    no_script_page.locator("#bus-request-form button[type=submit]").click()
    no_script_page.wait_for_url(re.compile(r"/faites-venir-le-bus/$"))
    assert no_script_page.locator("#request-errors").is_visible()
    no_script_page.locator("#id_request-requester_kind_0").check()
    no_script_page.locator("#id_request-contact_name").fill("Martine Leroy")
    no_script_page.locator("#id_request-email").fill("mairie@bourg.example")
    no_script_page.locator("#id_request-needs").fill("Déclaration de revenus en mai")
    no_script_page.locator("#id_request-consent").check()
    no_script_page.locator("#bus-request-form button[type=submit]").click()
    no_script_page.wait_for_url(re.compile(r"/merci/$"))
    assert BusRequest.objects.get().contact_name == "Martine Leroy"


def page_at(page, url):
    """The page with JavaScript (axe needs it) at the URL the script-less page reached."""
    page.goto(url)
    return page
