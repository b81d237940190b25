"""'de' and 'à' before a commune's name read as French writes them: d’Amiens, au Crotoy.

The translations say "près de %(name)s" and "à %(name)s"; for the 101 communes of the Somme
whose name starts with a vowel, and the 12 that start with Le, that read "près de
Abbeville" and "Le bus numérique à Le Crotoy", on the pages and on the flyers town halls
print.
"""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from mediation.text import with_french_prepositions
from tests.cms.conftest import TODAY
from tests.factories import make_commune, make_stop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "name", "written"),
    [
        ("près de Abbeville", "Abbeville", "près d’Abbeville"),
        ("l’escale de Amiens du lundi", "Amiens", "l’escale d’Amiens du lundi"),
        ("proches de Yzeux", "Yzeux", "proches d’Yzeux"),
        ("Le bus à Le Crotoy, près de Le Crotoy", "Le Crotoy", "Le bus au Crotoy, près du Crotoy"),
        ("À Le Crotoy", "Le Crotoy", "Au Crotoy"),
        ("près de Les Alleux, à Les Alleux", "Les Alleux", "près des Alleux, aux Alleux"),
        # What French leaves as it is: La, L’, a consonant, an H, "à" before a vowel.
        ("près de La Neuville, à La Neuville", "La Neuville", "près de La Neuville, à La Neuville"),
        ("de L&#x27;Étoile", "L&#x27;Étoile", "de L&#x27;Étoile"),
        ("près de Hallu, près de Ham", "Hallu", "près de Hallu, près de Ham"),
        ("Le bus à Amiens", "Amiens", "Le bus à Amiens"),
        # Only before the name itself: another word starting the same way is left alone.
        ("de Le Quesnel", "Le Quesne", "de Le Quesnel"),
    ],
)
def test_de_and_a_before_a_communes_name_are_written_as_in_french(text, name, written):
    assert with_french_prepositions(text, name) == written


def page_text(response) -> str:
    body = response.content.decode().split("<body", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def le_crotoy(db):
    return make_commune(
        name="Le Crotoy", slug="le-crotoy-test", latitude=Decimal("50.2"), longitude=Decimal("1.6")
    )


def test_a_resident_of_le_crotoy_reads_au_crotoy_on_the_commune_page_and_its_forms(
    client, frozen, home, le_crotoy
):
    make_stop(commune=le_crotoy, date=TODAY + dt.timedelta(days=3))
    pages = [
        "/communes/le-crotoy-test/",
        "/communes/le-crotoy-test/prevenez-moi/",
        "/communes/le-crotoy-test/faites-venir-le-bus/",
    ]
    for path in pages:
        text = page_text(client.get(path))
        assert "Crotoy" in text, path
        assert not re.search(r"\b(à|À|de) Le Crotoy", text), path
        assert re.search(r"\b(au|du) Crotoy", text), path


def test_a_resident_of_amiens_goes_back_to_the_stop_d_amiens_from_the_sign_up_form(
    client, frozen, home
):
    amiens = make_commune(name="Amiens", slug="amiens-test")
    workshop = make_workshop(stop=make_stop(commune=amiens, date=TODAY + dt.timedelta(days=3)))

    text = page_text(client.get(f"/ateliers/{workshop.pk}/inscription/"))

    assert "de Amiens" not in text
    assert "d’Amiens" in text
