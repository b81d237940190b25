"""The main menu tells a screen reader which of its pages is the one being read (RGAA 12.3)."""

import pytest
from bs4 import BeautifulSoup

from cms.demo import seed_site
from tests.factories import make_commune

pytestmark = pytest.mark.django_db


def current_links(page: str) -> list[str]:
    menu = BeautifulSoup(page, "html.parser").find("nav", class_="site-nav")
    return [a.get_text(strip=True) for a in menu.find_all("a", attrs={"aria-current": "page"})]


def test_the_menu_marks_the_page_being_read_and_only_that_one(client):
    seed_site(site_name="Le Bus numérique")
    make_commune(name="Bourg-de-Test", slug="bourg-de-test")

    assert current_links(client.get("/").content.decode()) == ["Accueil"]
    assert current_links(client.get("/carte/").content.decode()) == ["Carte de la tournée"]
    assert current_links(client.get("/communes/").content.decode()) == ["Votre commune"]
    # The same process renders the menu once: a page outside it marks nothing.
    assert current_links(client.get("/communes/bourg-de-test/").content.decode()) == []
    assert current_links(client.get("/carte/").content.decode()) == ["Carte de la tournée"]
