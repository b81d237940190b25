"""Residents type abbreviations, typos and shared postal codes; the search still finds them."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from mediation.commune_search import search_communes
from mediation.models import Commune, FormerCommuneSlug
from mediation.text import commune_slug, edit_distance_at_most_one, french_sort_key
from tests.cms.conftest import TODAY
from tests.factories import make_stop

pytestmark = pytest.mark.django_db

SEARCH = reverse("cms:commune_search")


@pytest.fixture(autouse=True)
def communes(somme):
    """The 771 communes of the Somme."""


def commune_url(slug: str) -> str:
    return reverse("cms:commune", kwargs={"slug": slug})


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("St Valery", "saint-valery-sur-somme"),
        ("st-valery-sur-somme", "saint-valery-sur-somme"),
        ("Ste Segrée", "sainte-segree"),
        ("ste-segree", "sainte-segree"),
    ],
)
def test_st_and_ste_stand_for_saint_and_sainte(client, typed, slug):
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == commune_url(slug)


@pytest.mark.parametrize("typed", ["Abeville", "Abbevillle", "Abbeivlle", "Abbevile"])
def test_one_typo_offers_the_commune_instead_of_nothing(client, typed):
    response = client.get(SEARCH, {"q": typed})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="suggestions"' in html
    assert "Vouliez-vous dire\u00a0:" in html
    assert f'href="{commune_url("abbeville")}"' in html
    assert 'id="no-result"' not in html


def test_a_typo_while_typing_the_start_of_a_name_is_forgiven():
    found = search_communes("Abevil")
    assert found.communes == []
    assert "abbeville" in [commune.slug for commune in found.suggestions]
    assert "peronne" in [commune.slug for commune in search_communes("Perone").suggestions]


def test_a_word_that_is_no_commune_gets_no_suggestion(client):
    html = client.get(SEARCH, {"q": "Marseille"}).content.decode()
    assert 'id="no-result"' in html
    assert 'id="suggestions"' not in html


def test_a_postal_code_shared_by_forty_communes_lists_all_forty_in_french_order(client):
    html = client.get(SEARCH, {"q": "80140"}).content.decode()
    results = html.split('<ul class="results"', 1)[1].split("</ul>", 1)[0]
    slugs = [part.split("/", 1)[0] for part in results.split('href="/communes/')[1:]]
    expected = Commune.objects.filter(postal_codes__contains="80140")

    assert len(slugs) == expected.count() == 40
    names = [Commune.objects.get(slug=slug).name for slug in slugs]
    assert names == sorted(names, key=french_sort_key)
    # Épaumesnil sits among the E, not after Z.
    assert names.index("Épaumesnil") < names.index("Fresneville")


def test_one_typo_means_one_letter_wrong_missing_added_or_two_swapped():
    assert edit_distance_at_most_one("abbeville", "abeville")
    assert edit_distance_at_most_one("abbeville", "abbevillle")
    assert edit_distance_at_most_one("abbeville", "abbevilel")
    assert edit_distance_at_most_one("abbeville", "abbevilke")
    assert not edit_distance_at_most_one("abbeville", "abevile")
    assert not edit_distance_at_most_one("amiens", "albert")


def test_ligatures_are_spelt_out_in_addresses():
    assert commune_slug("Argœuves", "80025", set()) == "argoeuves"
    assert commune_slug("Tœufles", "80761", set()) == "toeufles"
    assert Commune.objects.get(name="Argœuves").slug == "argoeuves"


def test_a_former_address_redirects_permanently_to_the_new_one(client):
    argoeuves = Commune.objects.get(slug="argoeuves")
    FormerCommuneSlug.objects.create(slug="arguves", commune=argoeuves)

    page = client.get("/communes/arguves/")
    flyer = client.get("/communes/arguves/affiche.pdf?mois=3")
    feed = client.get("/communes/arguves/agenda.ics")

    assert page.status_code == flyer.status_code == feed.status_code == 301
    assert page["Location"] == commune_url("argoeuves")
    assert (
        flyer["Location"] == reverse("cms:commune_flyer", kwargs={"slug": "argoeuves"}) + "?mois=3"
    )
    assert feed["Location"] == reverse("cms:commune_feed", kwargs={"slug": "argoeuves"})
    assert client.get("/communes/nulle-part/").status_code == 404


def test_the_migration_moves_a_ligature_slug_and_keeps_the_old_one():
    argoeuves = Commune.objects.get(name="Argœuves")
    Commune.objects.filter(pk=argoeuves.pk).update(slug="arguves")
    migration = importlib.import_module("mediation.migrations.0007_former_commune_slugs")

    migration.transliterate_ligature_slugs(apps, None)

    argoeuves.refresh_from_db()
    assert argoeuves.slug == "argoeuves"
    assert FormerCommuneSlug.objects.get(slug="arguves").commune == argoeuves


def test_the_map_lists_communes_in_french_order(client, frozen):
    for name in ("Épaumesnil", "Yzeux", "Eaucourt-sur-Somme", "Fresneville"):
        make_stop(commune=Commune.objects.get(name=name), date=TODAY + dt.timedelta(days=3))

    html = client.get(reverse("cms:map")).content.decode()
    listed = html.split('class="map-list"', 1)[1].split("</ul>", 1)[0]
    order = [listed.index(name) for name in ("Eaucourt", "Épaumesnil", "Fresneville", "Yzeux")]
    assert order == sorted(order)


def test_the_map_lists_saints_in_the_order_of_the_site_s_other_lists(client, frozen):
    # The map sorts its list itself (not the database, whose locale may order a space or a
    # hyphen otherwise, and which returns the communes in the order it stores them): these
    # names, given to communes stored in the opposite order, read as every other list of the
    # site gives them.
    names = [
        "Sainte-Segrée",
        "Saint-Riquier",
        "Saint-Quentin-la-Motte-Croix-au-Bailly",
        "Saint-Quentin-en-Tourmont",
        "Saint-Maxent",
    ]
    for commune, name in zip(Commune.objects.order_by("pk"), names, strict=False):
        commune.name = name
        commune.save()
        make_stop(commune=commune, date=TODAY + dt.timedelta(days=3))

    html = client.get(reverse("cms:map")).content.decode()
    listed = html.split('class="map-list"', 1)[1].split("</ul>", 1)[0]
    positions = {name: listed.index(f">{name}</a>") for name in names}
    assert sorted(names, key=positions.get) == sorted(names, key=french_sort_key)
    assert sorted(names, key=positions.get)[-2:] == ["Saint-Riquier", "Sainte-Segrée"]
