"""A commune added or renamed in the back office is found by its new name, in French order."""

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
