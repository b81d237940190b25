"""The statistics page in a real browser: readable with JavaScript off, and accessible."""

import pytest
from playwright.sync_api import expect

from tests.accessibility import axe_violations
from tests.factories import make_coordinator
from tests.live_server import let_the_live_server_finish
from tests.reports.conftest import PERIOD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/admin/rapports/?start={start}&end={end}".format(**PERIOD)


def sign_in(page, base):
    make_coordinator("claire")
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "claire")
    page.fill("#id_password", "pass")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/")


def test_claire_reads_the_figures_and_their_tables_with_javascript_off(live_server, browser, tour):
    context = browser.new_context(
        locale="fr-FR", java_script_enabled=False, viewport={"width": 1024, "height": 900}
    )
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + URL)

    key_figures = page.locator(".key-figures dd")
    expect(key_figures).to_have_count(9)
    expect(key_figures.nth(3)).to_have_text("5")
    expect(page.locator("svg.chart")).to_have_count(7)
    expect(page.locator("table.figures-table").first).to_be_visible()
    expect(page.locator("#export-xlsx")).to_be_visible()
    context.close()
    let_the_live_server_finish()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_statistics_page_passes_axe(live_server, page, tour, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url)
    page.goto(live_server.url + URL)
    expect(page.locator(".key-figures")).to_be_visible()

    assert axe_violations(page) == []
