"""A resident finds their commune from the home page, opens a stop, signs up in a real
browser, sees the confirmation, follows the personal link and cancels."""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import seed_site
from sessions.links import personal_link
from sessions.models import Registration
from tests.accessibility import axe_violations
from tests.factories import make_commune, make_module, make_stop, make_workshop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_resident_signs_up_then_cancels_with_the_personal_link(live_server, page):
    commune = make_commune(name="Bourg-de-Test", postal_codes="99120")
    module = make_module(
        title="Créer son compte CAF", documents_to_bring="Numéro allocataire\nCarte Vitale"
    )
    stop = make_stop(commune=commune)
    workshop = make_workshop(stop=stop, module=module, capacity=4)
    seed_site(site_name="Le Bus numérique")

    page.goto(f"{live_server.url}/")
    page.locator("#commune-q").fill("bourg de test")
    page.locator("#commune-q").press("Enter")
    page.wait_for_url(re.compile(rf"/communes/{commune.slug}/$"))
    page.locator(f"a[href='/escales/{stop.pk}/']").first.click()
    page.wait_for_url(re.compile(rf"/escales/{stop.pk}/$"))
    page.locator(f"a[href='/ateliers/{workshop.pk}/inscription/']").first.click()

    page.wait_for_url(re.compile(rf"/ateliers/{workshop.pk}/inscription/$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Créer son compte CAF" in page.locator("h1").inner_text()
    page.get_by_label(re.compile("^Prénom|^First name")).fill("Josiane")
    page.locator("#id_last_name").fill("Vasseur")
    page.locator("#id_phone").fill("06 12 34 56 78")
    page.locator("#id_home_commune").fill("bourg de test")
    page.locator("#id_consent").check()
    page.locator("#signup-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/inscription/[^/]+/confirmation/$"))
    assert page.locator("#registration-status").get_attribute("data-status") == "confirmed"
    assert "Numéro allocataire" in page.content()
    registration = Registration.objects.get()
    assert (registration.first_name, registration.phone) == ("Josiane", "+33612345678")

    page.locator("#personal-link").click()
    page.wait_for_url(re.compile(re.escape(personal_link(registration).path) + "$"))
    page.locator("#cancel-link").click()
    page.locator("#confirm-cancel").click()

    page.wait_for_url(re.compile(re.escape(personal_link(registration).path) + "$"))
    expect(page.locator("#registration-status")).to_have_attribute("data-status", "cancelled")
    registration.refresh_from_db()
    workshop.refresh_from_db()
    assert registration.status == "cancelled"
    assert workshop.seats_taken == 0


def test_the_sign_up_pages_pass_axe(live_server, page):
    workshop = make_workshop(stop=make_stop(commune=make_commune(name="Bourg-de-Test")))

    page.goto(f"{live_server.url}/ateliers/{workshop.pk}/inscription/")
    page.screenshot(path="/tmp/issue4-signup.png", full_page=True)
    assert axe_violations(page) == []
    page.locator("#signup-form button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    page.screenshot(path="/tmp/issue4-signup-errors.png", full_page=True)
    assert axe_violations(page) == []


def test_errors_are_announced_next_to_the_field(live_server, page):
    workshop = make_workshop(stop=make_stop(commune=make_commune(name="Bourg-de-Test")))

    page.goto(f"{live_server.url}/ateliers/{workshop.pk}/inscription/")
    page.locator("#id_first_name").fill("Jean 😀")
    page.locator("#signup-form button[type=submit]").click()

    first_name = page.locator("#id_first_name")
    assert first_name.get_attribute("aria-invalid") == "true"
    assert "id_first_name_error" in first_name.get_attribute("aria-describedby")
    assert page.locator("#id_first_name_error").is_visible()
    assert page.locator("#form-errors").get_attribute("role") == "alert"
    assert not Registration.objects.exists()


def test_a_sign_up_sent_twice_on_a_weak_signal_shows_the_one_confirmation(live_server, page):
    # Josiane taps "S'inscrire"; on the village's weak signal nothing seems to happen, so she
    # taps again: the browser drops the first sending for a second one. That second sending
    # must not show her the form again with "already registered", nor take a second seat:
    # she sees the confirmation of her one registration.
    workshop = make_workshop(stop=make_stop(commune=make_commune(name="Bourg-de-Test")))

    page.goto(f"{live_server.url}/ateliers/{workshop.pk}/inscription/")
    page.locator("#id_first_name").fill("Josiane")
    page.locator("#id_last_name").fill("Vasseur")
    page.locator("#id_phone").fill("06 12 34 56 78")
    page.locator("#id_consent").check()
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    signal = page.context.new_cdp_session(page)
    signal.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 600, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    # Tapped from the page itself: Playwright's click would wait for the first sending's
    # page, as she does not.
    page.evaluate(
        """() => {
            const submit = document.querySelector("#signup-form button[type=submit]");
            submit.click();
            setTimeout(() => submit.click(), 200);
        }"""
    )

    # The first answer is dropped by the browser for the second's (as on a real tablet).
    expect(page).to_have_url(re.compile(r"/inscription/[^/]+/confirmation/$"))
    expect(page.locator("#registration-status")).to_have_attribute("data-status", "confirmed")
    assert len(posts) == 2
    registration = Registration.objects.get()
    assert personal_link(registration).token in page.url
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1
