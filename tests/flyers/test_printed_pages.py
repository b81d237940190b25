"""A town hall prints the public pages themselves from its browser (Ctrl+P), not the flyer."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from mediation.models import Branding
from tests.factories import make_commune, make_module, make_stop, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def village(db):
    branding = Branding.load()
    branding.contact_phone = "03 53 01 00 80"
    branding.save()
    village = make_commune(name="Hédauville", slug="hedauville-test")
    today = timezone.localdate()
    for offset in (3, 10, 17):
        stop = make_stop(
            commune=village, date=today + dt.timedelta(days=offset), place_name=f"Salle {offset}"
        )
        for hour in (9, 11, 14):
            make_workshop(
                stop=stop,
                module=make_module(title=f"Atelier {offset}-{hour}"),
                start_time=dt.time(hour),
                end_time=dt.time(hour + 1, 30),
            )
    return village


def printed(page, url: str) -> list[str]:
    """The page as Chromium prints it on A4: each sheet's text."""
    page.goto(url)
    reader = PdfReader(BytesIO(page.pdf(format="A4")))
    return [" ".join(sheet.extract_text().split()) for sheet in reader.pages]


def test_mme_lefevre_prints_the_commune_page_without_its_forms_and_menus(
    live_server, page, village
):
    # She pinned the printout up: six sheets, most of them the sign-up forms for alerts and
    # visits, the menu, the calendar links and the source code's, nothing a reader can use.
    sheets = printed(page, f"{live_server.url}/communes/{village.slug}/")

    text = " ".join(sheets)
    with translation.override("fr"):
        forms_and_menus = [
            gettext("Be told when the van comes near"),
            gettext("Ask for the van to come"),
            gettext("Add these dates to your phone's calendar"),
            gettext("Dates on the flyer:"),
            gettext("Source code of this site"),
        ]
    assert [words for words in forms_and_menus if words in text] == []
    assert all(f"Salle {offset}" in text for offset in (3, 10, 17))
    assert "03 53 01 00 80" in text
    assert len(sheets) <= 2
