"""A browser can fill in every field about the person from what it knows (WCAG 1.3.5): the
purpose of each is given with `autocomplete`, and a phone field opens the phone keypad."""

import pytest
from bs4 import BeautifulSoup

from cms.demo import seed_site
from tests.factories import make_commune

pytestmark = pytest.mark.django_db


def test_a_town_hall_secretary_has_the_visit_request_filled_in_by_the_browser(client):
    commune = make_commune(name="Bourg-de-Test", slug="bourg-de-test")
    seed_site(site_name="Le Bus numérique")

    page = client.get(f"/communes/{commune.slug}/").content.decode()

    form = BeautifulSoup(page, "html.parser").find("form", id="bus-request-form")
    purposes = {
        name: form.find(attrs={"name": f"request-{name}"}).get("autocomplete")
        for name in ("organisation", "contact_name", "phone", "email")
    }
    assert purposes == {
        "organisation": "organization",
        "contact_name": "name",
        "phone": "tel",
        "email": "email",
    }
    assert form.find(attrs={"name": "request-phone"})["inputmode"] == "tel"
