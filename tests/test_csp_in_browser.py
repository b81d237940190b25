"""In a real Chromium, the public pages, the tablet app and the admin break no CSP rule.

Every page is watched twice: the `securitypolicyviolation` events the browser fires, and the
console errors it prints when it blocks something.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.demo import seed_legal_pages, seed_site
from mediation.models import Branding
from tests.factories import (
    make_commune,
    make_coordinator,
    make_mediator,
    make_module,
    make_registration,
    make_stop,
    make_workshop,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )

    def violations() -> list[str]:
        return page.evaluate("window.__csp || []") + console

    page.violations = violations
    return page


@pytest.fixture
def tour(db):
    home = seed_site(site_name="Le Bus numérique")
    seed_legal_pages(home=home)
    branding = Branding.load()
    branding.primary_colour = "#7a1f00"
    branding.save()
    commune = make_commune(name="Woincourt", slug="woincourt")
    mediator = make_mediator("ines")
    stop = make_stop(commune=commune, date=timezone.localdate())
    stop.mediators.add(mediator)
    module = make_module(slug="compte-caf")
    later = make_workshop(stop=make_stop(commune=commune), module=module)
    today = make_workshop(stop=stop, module=module)
    make_registration(workshop=today, first_name="Odette")
    make_coordinator("claire")
    return {"commune": commune, "stop": stop, "workshop": later, "today": today}


def visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.violations()


def test_public_pages_break_no_csp_rule(live_server, watched, tour):
    base = live_server.url
    for path in [
        "/",
        "/communes/?q=woi",
        f"/communes/{tour['commune'].slug}/",
        f"/escales/{tour['stop'].pk}/",
        f"/ateliers/{tour['workshop'].pk}/inscription/",
        "/carte/",
        "/modules/",
        "/modules/compte-caf/",
        Branding.load().privacy_page.url,
    ]:
        assert visit(watched, base + path) == [], path


def test_the_tablet_app_breaks_no_csp_rule(live_server, watched, tour):
    base = live_server.url.replace("127.0.0.1", "localhost")
    assert visit(watched, base + "/tablette/connexion/") == []
    watched.fill("#id_username", "ines")
    watched.fill("#id_password", "pass")
    watched.locator("form.tablet-login button[type=submit]").click()
    watched.wait_for_url(base + "/tablette/")
    expect(watched.locator("#day")).to_have_attribute("data-state", "ready")
    assert watched.violations() == []


def test_the_admin_breaks_no_csp_rule(live_server, watched, tour):
    base = live_server.url
    watched.goto(base + "/admin/login/")
    watched.fill("#id_username", "claire")
    watched.fill("#id_password", "pass")
    watched.locator("form button[type=submit]").first.click()
    watched.wait_for_url(base + "/admin/")
    for path in [
        "/admin/",
        "/admin/registrations/",
        f"/admin/snippets/mediation/stop/edit/{tour['stop'].pk}/",
        f"/admin/snippets/workshops/workshop/edit/{tour['workshop'].pk}/",
        "/admin/presences/",
        "/admin/donnees-personnelles/",
        "/admin/pages/",
    ]:
        assert visit(watched, base + path) == [], path
