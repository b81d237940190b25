"""In a real browser: a coordinator creates a fortnightly series for a van in the admin,
previews it, generates it, and finds the stops in the planner and on the commune's page."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from cms.demo import seed_site
from mediation.models import Stop, Van
from tests.factories import make_commune, make_coordinator


def violations_in(page, selector: str) -> list[str]:
    """axe-core on our own part of an admin page (Wagtail's chrome is Wagtail's to fix)."""
    results = Axe().run(page, context=selector)
    return [
        f"{item['id']}: {[node['target'] for node in item['nodes']][:3]}"
        for item in results.response["violations"]
    ]


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_plans_a_fortnightly_series_and_residents_see_it(live_server, page):
    village = make_commune(name="Bourg-de-Test", slug="bourg-de-test")
    Van.objects.create(name="Bus Ouest", home_base=village)
    make_coordinator("claire")
    seed_site(site_name="Le Bus numérique")
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())

    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "claire")
    page.fill("#id_password", "pass")
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/admin/snippets/mediation/stopseries/add/")
    page.select_option("#id_van", label="Bus Ouest")
    page.select_option("#id_commune", label="Bourg-de-Test")
    page.select_option("#id_rule", value="every_n_weeks")
    page.fill("#id_interval_weeks", "2")
    page.select_option("#id_weekday", value="2")
    page.fill("#id_start_date", monday.isoformat())
    page.fill("#id_end_date", (monday + dt.timedelta(weeks=10)).isoformat())
    page.fill("#id_start_time", "09:30")
    page.fill("#id_end_time", "12:30")
    page.fill("#id_place_name", "Place de la mairie")
    page.locator("button[type=submit]").filter(has_text=re.compile("Enregistrer")).first.click()

    # The preview: dates listed, nothing written yet.
    expect(page.locator("#plan-dates")).to_be_visible()
    dates = page.locator("#plan-dates li")
    expected = dates.count()
    assert 4 <= expected <= 5
    assert not Stop.objects.exists()
    assert violations_in(page, "#series-preview") == []
    page.locator("#generate").click()

    # The planner, on the van, shows the stops.
    page.wait_for_url(re.compile(r"/admin/tournee/planning/"))
    expect(page.locator(".planner__stop").first).to_contain_text("Bourg-de-Test")
    assert Stop.objects.filter(series__isnull=False).count() == expected
    first = Stop.objects.order_by("date").first()
    assert first.date.weekday() == 2
    assert violations_in(page, ".planner") == []

    # Residents see them on the commune's page.
    page.goto(f"{live_server.url}/communes/bourg-de-test/")
    expect(page.locator("main")).to_contain_text("Place de la mairie")
    assert page.locator(f'a[href$="/escales/{first.pk}/"]').count() >= 1
