"""What search engines and link previews read of the site's pages: a description, one
absolute address on SITE_URL, and Open Graph's title, site and address."""

import re

import pytest

from cms.models import ContentPage
from mediation.models import Branding

pytestmark = pytest.mark.django_db


def head_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode().split("</head>", 1)[0]


def meta(head: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', head)
    return found[1] if found else None


def canonical(head: str) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]*)">', head)
    return found[1] if found else None


@pytest.fixture
def summer_hours(home, settings):
    """A page Claire, the coordinator, wrote with a description for search engines."""
    settings.SITE_URL = "https://bus.example.fr"
    return home.add_child(
        instance=ContentPage(
            title="Horaires d’été",
            slug="horaires-d-ete",
            search_description="Les escales de juillet et d’août, commune par commune.",
            seo_title="Horaires d’été du bus",
        )
    )


def test_a_content_page_gives_search_engines_its_description_and_its_one_address(
    client, summer_hours
):
    head = head_of(client, summer_hours.url + "?utm_source=flyer")

    description = "Les escales de juillet et d’août, commune par commune."
    assert meta(head, "name", "description") == description
    assert canonical(head) == "https://bus.example.fr/horaires-d-ete/"
    assert meta(head, "property", "og:url") == "https://bus.example.fr/horaires-d-ete/"
    assert meta(head, "property", "og:title") == "Horaires d’été du bus"
    assert meta(head, "property", "og:description") == description
    assert meta(head, "property", "og:locale") == "fr_FR"


def test_a_page_with_an_accented_address_is_given_it_percent_encoded(client, home, settings):
    settings.SITE_URL = "https://bus.example.fr"
    page = home.add_child(instance=ContentPage(title="Été", slug="été"))

    head = head_of(client, page.url)

    assert canonical(head) == "https://bus.example.fr/%C3%A9t%C3%A9/"
    # Without a description of its own, the page claims none rather than the site's.
    assert meta(head, "name", "description") is None


def test_the_home_page_is_described_by_the_sites_tagline(client, home, settings):
    settings.SITE_URL = "https://bus.example.fr"
    branding = Branding.load()
    branding.site_name, branding.tagline = "Le Bus numérique", "Le numérique vient à vous"
    branding.save()

    head = head_of(client, "/")

    assert canonical(head) == "https://bus.example.fr/"
    assert meta(head, "name", "description") == "Le numérique vient à vous"
    assert meta(head, "property", "og:site_name") == "Le Bus numérique"


def test_commune_stop_and_module_pages_each_give_their_one_address(client, settings):
    # Reached by a flyer's QR code with its tracking query, or by a former commune's slug,
    # each page tells search engines the one address to keep.
    from tests.factories import make_commune, make_module, make_stop, make_workshop

    settings.SITE_URL = "https://bus.example.fr"
    commune = make_commune(name="Saint-Valery-sur-Somme", slug="saint-valery-sur-somme")
    stop = make_stop(commune=commune)
    module = make_module(title="Créer son adresse e-mail", slug="adresse-e-mail")
    make_workshop(stop=stop, module=module)

    pages = {
        f"/communes/{commune.slug}/?qr=affiche": "/communes/saint-valery-sur-somme/",
        f"/escales/{stop.pk}/?utm_source=sms": f"/escales/{stop.pk}/",
        "/modules/adresse-e-mail/?depuis=affiche": "/modules/adresse-e-mail/",
    }
    for visited, address in pages.items():
        assert canonical(head_of(client, visited)) == "https://bus.example.fr" + address, visited
