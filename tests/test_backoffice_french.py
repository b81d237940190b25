"""The back office speaks French as its staff do: "Ajouter une escale", not Wagtail's
"Ajouter un(e) escale"; its tabs are named after the service, not after Wagtail."""

import re

import pytest

from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db

LISTS = {
    "/admin/snippets/mediation/stop/": "Ajouter une escale",
    "/admin/snippets/workshops/workshop/": "Ajouter un atelier",
    "/admin/snippets/mediation/stopseries/": "Ajouter une série d’escales",
    "/admin/snippets/mediation/van/": "Ajouter un bus",
    "/admin/snippets/mediation/closureperiod/": "Ajouter une période de fermeture",
    "/admin/snippets/mediation/tutorialmodule/": "Ajouter un module",
    "/admin/snippets/reports/funder/": "Ajouter un financeur",
    "/admin/snippets/cms/communelocalcontent/": "Ajouter un contenu local d’une commune",
    "/admin/tablet_inventory/": "Ajouter une tablette",
    "/admin/tablet_maintenance/": "Ajouter une intervention de maintenance",
    "/admin/tablet_os_minimums/": "Ajouter une version minimale du système",
    "/admin/registrations/": "Ajouter une inscription",
}


@pytest.fixture
def claire(client):
    client.force_login(make_coordinator("claire"))
    return client


@pytest.mark.parametrize(("url", "button"), LISTS.items())
def test_each_list_offers_to_add_with_the_right_article(claire, url, button):
    page = claire.get(url).content.decode()

    assert button in page
    assert "un(e)" not in page


def test_a_staff_tab_is_named_after_the_service_and_says_no_utilise_e(claire, settings):
    page = claire.get("/admin/snippets/mediation/stop/add/").content.decode()

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.endswith(" - Le Bus numérique") and "Wagtail" not in title
    assert "Utilisé(e)" not in page
