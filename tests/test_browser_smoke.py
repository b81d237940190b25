"""The home page opens in a real headless Chromium and reads in French."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_opens_in_chromium(live_server, page):
    call_command("import_communes", "--verbosity", "0")
    call_command("seed_demo", stdout=io.StringIO())
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().strip()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
