"""The activity report and the sign-in sheets, rendered by WeasyPrint and read back."""

import io

import pytest
from pypdf import PdfReader

from mediation.models import Branding
from reports.models import Funder
from tests.factories import make_image, make_registration, make_workshop
from tests.reports.conftest import PERIOD, download_file

pytestmark = pytest.mark.django_db


def pdf_text(response) -> tuple[int, list[str]]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), [page.extract_text() for page in reader.pages]


@pytest.fixture
def funders(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    logo = make_image("somme.png", size=(1200, 400), title="Département")
    branding = Branding.load()
    branding.operator_name = "Association Somme Numérique"
    branding.save()
    return [
        Funder.objects.create(name="Département de la Somme", logo=logo, sort_order=1),
        Funder.objects.create(name="France Services", sort_order=2),
        Funder.objects.create(name="Ancien financeur", is_active=False, sort_order=3),
    ]


def test_claire_gets_the_yearly_report_with_cover_figures_and_places(claire, tour, funders):
    pages, text = pdf_text(download_file(claire, "pdf", PERIOD, kind="report"))

    cover, body = text[0], "\n".join(text[1:])
    assert pages >= 3
    assert "Association Somme Numérique" in cover
    assert "Du jeudi 1er janvier 2026 au jeudi 31 décembre 2026" in cover
    assert "France Services" in cover and "Ancien financeur" not in cover
    for expected in ("Argent - Impôts", "Ailly", "Bray", "CC Est", "CC Ouest", "70 ans et plus"):
        assert expected in body, expected


def test_the_report_of_a_school_year_names_its_period_and_area_in_words_with_the_pages_figures(
    claire, tour
):
    """Sophie sends the report of September to August for one intercommunality: its cover
    reads as a sentence, and its key figures are the statistics page's, zeros included."""
    period = {"start": "2025-09-01", "end": "2026-08-31", "epci": "cc-est"}
    page = claire.get("/admin/rapports/", period)
    _pages, text = pdf_text(download_file(claire, "pdf", period, kind="report"))

    cover, body = text[0], "\n".join(text[1:])
    words = " ".join(cover.split())
    assert "Du lundi 1er septembre 2025 au lundi 31 août 2026" in words
    assert "CC Est" in words
    body = " ".join(body.split())
    assert page.context["figures"].key["hours"] == 1.5
    for label, value in page.context["key_figures"]:
        assert f"{label} {str(value).replace('.', ',')} " in body, label


def test_a_stops_sign_in_sheets_are_one_page_per_workshop(claire, tour, funders):
    stop = tour["w1"].stop
    afternoon = make_workshop(stop=stop, module=tour["w2"].module)
    make_registration(workshop=afternoon, first_name="Roger", last_name="Petit")
    make_registration(workshop=afternoon, first_name="Annulée", status="cancelled")

    pages, text = pdf_text(claire.get(f"/admin/rapports/emargement/escale/{stop.pk}.pdf"))

    assert pages == 2
    assert "Jeanine" in text[0] and "LEROY" in text[0] and "Roger" not in text[0]
    assert "PETIT" in text[1] and "Annulée" not in text[1]
    assert all("Département de la Somme" not in page for page in text)  # a logo, not text
    assert all("France Services" in page for page in text)


def test_a_full_workshop_still_fits_its_sheet_on_one_page(claire, tour):
    full = make_workshop(stop=tour["w1"].stop, module=tour["w2"].module, capacity=20)
    for number in range(20):
        make_registration(workshop=full, first_name=f"Personne{number}")

    pages, text = pdf_text(claire.get(f"/admin/rapports/emargement/atelier/{full.pk}.pdf"))

    assert pages == 1
    assert "Personne19" in text[0]


def test_the_sheets_page_lists_the_coming_stops(claire):
    workshop = make_workshop()

    response = claire.get("/admin/rapports/emargement/")

    assert f"/admin/rapports/emargement/atelier/{workshop.pk}.pdf" in response.content.decode()


def test_the_report_of_a_single_day_says_le_rather_than_du_au():
    import datetime as dt

    from django.utils import translation

    from reports.activity import Period
    from reports.documents import period_in_words

    with translation.override("fr"):
        words = period_in_words(Period(dt.date(2026, 3, 10), dt.date(2026, 3, 10)))

    assert words == "le mardi 10 mars 2026"


def test_the_report_is_a_tagged_pdf_a_screen_reader_can_follow(claire, tour):
    """A funder's officer who reads with a screen reader gets the report's headings and
    tables as such: the PDF carries its structure, in French."""
    response = download_file(claire, "pdf", PERIOD, kind="report")

    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"]
    kinds, stack = set(), [root["/StructTreeRoot"].get_object()]
    while stack:
        element = stack.pop()
        kinds.add(str(element.get("/S", "")))
        children = element.get("/K", [])
        children = children if isinstance(children, list) else [children]
        stack.extend(c.get_object() for c in children if hasattr(c.get_object(), "get"))
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= kinds
