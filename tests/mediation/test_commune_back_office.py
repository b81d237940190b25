"""A commune added, renamed or given a new address in the back office: found by its new name,
in French order, and still reached at its former address."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from mediation.commune_search import search_communes
from mediation.models import Commune
from tests.factories import make_commune, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(client):
    client.force_login(make_coordinator())
    return client


def commune_form(**overrides) -> dict:
    return {
        "name": "Saint-Léger-lès-Domart",
        "insee_code": "80706",
        "slug": "saint-leger-les-domart",
        "postal_codes": "80780",
        "population": "1841",
        "latitude": "50.0530",
        "longitude": "2.1380",
        "epci": "",
    } | overrides


def test_a_commune_added_in_the_back_office_is_found_by_its_name(claire):
    # Claire adds a commune the yearly import did not have yet; a resident of Saint-Léger
    # looks it up by typing "saint leger" without accents. Its search name was left empty:
    # the search found nothing and the map listed it first.
    response = claire.post(reverse("wagtailsnippets_mediation_commune:add"), commune_form())
    assert response.status_code == 302

    added = Commune.objects.get(insee_code="80706")
    assert added.search_name == "saint leger les domart"
    assert search_communes("saint leger", limit=10).communes == [added]


def test_a_commune_renamed_in_the_back_office_is_found_by_its_new_name(claire):
    # Two communes merged into a "commune nouvelle" that took a new name.
    commune = make_commune(name="Hypercourt", latitude=Decimal("49.81"))
    make_commune(name="Aubercourt")
    url = reverse("wagtailsnippets_mediation_commune:edit", args=[commune.pk])
    form = commune_form(
        name="Ételfay-le-Neuf",
        insee_code=commune.insee_code,
        slug=commune.slug,
        latitude=str(commune.latitude),
        longitude=str(commune.longitude),
    )
    assert claire.post(url, form).status_code == 302

    assert search_communes("etelfay", limit=10).communes == [commune]
    assert search_communes("hypercourt", limit=10).communes == []
    assert list(Commune.objects.in_french_order().values_list("name", flat=True)) == [
        "Aubercourt",
        "Ételfay-le-Neuf",
    ]


def test_saving_only_the_name_keeps_the_search_name_in_step():
    commune = make_commune(name="Hypercourt")
    commune.name = "Ételfay-le-Neuf"
    commune.save(update_fields=["name"])
    commune.refresh_from_db()
    assert commune.search_name == "etelfay le neuf"


def test_the_migration_mends_the_communes_the_back_office_left_without_a_search_name():
    added = make_commune(name="Saint-Léger-lès-Domart")
    renamed = make_commune(name="Ételfay-le-Neuf")
    untouched = make_commune(name="Aubercourt")
    Commune.objects.filter(pk=added.pk).update(search_name="")
    Commune.objects.filter(pk=renamed.pk).update(search_name="hypercourt")
    migration = importlib.import_module("mediation.migrations.0014_refresh_commune_search_names")

    migration.refresh_search_names(apps, None)

    assert dict(Commune.objects.values_list("pk", "search_name")) == {
        added.pk: "saint leger les domart",
        renamed.pk: "etelfay le neuf",
        untouched.pk: "aubercourt",
    }


def test_a_commune_whose_address_changes_still_answers_at_the_one_printed_on_its_flyers(claire):
    """Claire corrects Morlancourt's address from "morlancour" (a typo of the first import):
    the QR code on the flyers already pinned up in the town hall still leads to its page (a
    permanent redirect), and so do the flyer's and the calendar's addresses; taken back, the
    first address is the commune's again. Before, the flyers led to a 404."""
    commune = make_commune(name="Morlancourt", slug="morlancour")

    def address_becomes(slug: str) -> None:
        url = reverse("wagtailsnippets_mediation_commune:edit", args=[commune.pk])
        form = commune_form(
            name=commune.name,
            insee_code=commune.insee_code,
            slug=slug,
            latitude=str(commune.latitude),
            longitude=str(commune.longitude),
        )
        assert claire.post(url, form).status_code == 302

    address_becomes("morlancourt")

    page = claire.get("/communes/morlancour/?utm_source=affiche")
    assert page.status_code == 301
    assert page["Location"] == "/communes/morlancourt/?utm_source=affiche"
    flyer = claire.get("/communes/morlancour/affiche.pdf?mois=1")
    assert flyer.status_code == 301
    assert flyer["Location"] == "/communes/morlancourt/affiche.pdf?mois=1"
    feed = claire.get("/communes/morlancour/agenda.ics")
    assert (feed.status_code, feed["Location"]) == (301, "/communes/morlancourt/agenda.ics")
    assert claire.get("/communes/morlancourt/").status_code == 200

    address_becomes("morlancour")

    assert claire.get("/communes/morlancour/").status_code == 200
    assert claire.get("/communes/morlancourt/")["Location"] == "/communes/morlancour/"


def test_the_address_field_tells_claire_that_printed_flyers_keep_working(claire):
    # She would otherwise leave a misspelt address alone, for fear of the flyers up already.
    commune = make_commune(name="Morlancourt", slug="morlancour")
    page = claire.get(reverse("wagtailsnippets_mediation_commune:edit", args=[commune.pk]))
    assert "les affiches déjà imprimées restent valables" in page.content.decode()


def test_a_commune_s_intercommunality_is_chosen_in_french(claire):
    # Wagtail made its choosers as the app started, before any language: "Choose
    # intercommunality" in the middle of a French form, "Choose commune" in a stop's.
    commune = make_commune(name="Morlancourt")
    page = claire.get(reverse("wagtailsnippets_mediation_commune:edit", args=[commune.pk]))
    html = page.content.decode()
    assert "Choose intercommunality" not in html
    assert "Choisir\u00a0: intercommunalité" in html
    assert "Modifier\u00a0: intercommunalité" in html  # not Wagtail's "Modifier ce/cette"
    stop_form = claire.get(reverse("wagtailsnippets_mediation_stop:add")).content.decode()
    assert "Choose commune" not in stop_form
    assert "Choisir\u00a0: commune" in stop_form
