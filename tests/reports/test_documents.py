"""The activity report and the sign-in sheets, rendered by WeasyPrint and read back."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from mediation.models import Branding
from reports.models import Funder
from tests.factories import (
    make_commune,
    make_image,
    make_mediator,
    make_registration,
    make_stop,
    make_workshop,
)
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
    for first_name in ("Jeanine", "Marcel"):
        make_registration(workshop=workshop, first_name=first_name)
    make_registration(workshop=workshop, first_name="Annulée", status="cancelled")

    response = claire.get("/admin/rapports/emargement/")

    html = response.content.decode()
    link = f'<a href="/admin/rapports/emargement/atelier/{workshop.pk}.pdf">'
    line = html.split(link, 1)[1].split("</li>", 1)[0]
    # The module, the hours in French, and the names the sheet will list (not the cancelled).
    assert line == f"{workshop.module.title}, de 9\u00a0h\u00a030 à 11\u00a0h</a> (2 inscrits, PDF)"
    assert f"/admin/rapports/emargement/escale/{workshop.stop_id}.pdf" in html


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


def test_a_workshop_of_thirty_six_registrants_prints_every_name_and_room_for_walk_ins(
    claire, tour, funders
):
    # Claire prints the sheet of the big "Déclarer ses revenus" session in the village hall:
    # the table ran past the page's fixed box and the last names were never printed.
    hall = make_workshop(stop=tour["w1"].stop, module=tour["w2"].module, capacity=40)
    for number in range(36):
        make_registration(workshop=hall, first_name=f"Personne{number:02d}", last_name="Durand")
    afternoon = make_workshop(stop=tour["w1"].stop, module=tour["w1"].module)
    make_registration(workshop=afternoon, first_name="Roger", last_name="Petit")

    pages, text = pdf_text(claire.get(f"/admin/rapports/emargement/atelier/{hall.pk}.pdf"))

    printed = "\n".join(text)
    assert all(f"Personne{number:02d}" in printed for number in range(36))
    # The numbered blank lines for walk-ins follow the last registrant.
    assert all(str(number) in text[-1].split() for number in (37, 38, 39))
    assert "Nom et signature du médiateur" in text[-1]
    assert all("France Services" in page for page in text)  # the funders on every page
    assert all("Signature" in page for page in text)  # the columns' heads repeated
    assert pages > 1 and all(hall.module.title in page for page in text)  # and whose they are

    pages, text = pdf_text(claire.get(f"/admin/rapports/emargement/escale/{hall.stop.pk}.pdf"))
    # The next workshop's sheet starts on a page of its own.
    assert sum("PETIT" in page for page in text) == 1
    starts = [page for page in text if "PETIT" in page][0]
    assert "Durand".upper() not in starts


def test_the_sheet_lists_names_in_the_order_a_french_reader_looks_them_up(claire, tour):
    # Residents look for their own name on the sheet: "Émile" sorted after "Zola" and
    # "de la Fontaine" after every capital (the database's byte order) sent them hunting.
    workshop = make_workshop(stop=tour["w1"].stop, module=tour["w2"].module, capacity=10)
    for last_name, first_name in [
        ("Zola", "Paul"),
        ("de la Fontaine", "Jean"),
        ("Émile", "Rose"),
        ("abel", "Marc"),
        ("Eluard", "Nush"),
        ("Œuvray", "Lucie"),
        ("Dupont", "élodie"),
        ("Dupont", "Bernard"),
    ]:
        make_registration(workshop=workshop, first_name=first_name, last_name=last_name)

    _pages, text = pdf_text(claire.get(f"/admin/rapports/emargement/atelier/{workshop.pk}.pdf"))

    order = ["ABEL", "DE LA FONTAINE", "Bernard", "élodie", "ELUARD", "ÉMILE", "ŒUVRAY", "ZOLA"]
    positions = [text[0].index(name) for name in order]
    assert positions == sorted(positions)


def test_each_workshops_sheet_is_saved_under_its_own_name(claire, tour):
    # Claire saves the morning's and the afternoon's sheets of one stop to send them to the
    # mediator: both were named emargement-ailly-2026-03-10.pdf, the second over the first.
    stop = tour["w1"].stop
    morning = make_workshop(stop=stop, module=tour["w2"].module)
    afternoon = make_workshop(
        stop=stop, module=tour["w2"].module, start_time=dt.time(14), end_time=dt.time(15, 30)
    )

    def filename(url: str) -> str:
        disposition = claire.get(url)["Content-Disposition"]
        return disposition.split('filename="')[1].rstrip('"')

    names = {
        filename(f"/admin/rapports/emargement/atelier/{morning.pk}.pdf"),
        filename(f"/admin/rapports/emargement/atelier/{afternoon.pk}.pdf"),
        filename(f"/admin/rapports/emargement/escale/{stop.pk}.pdf"),
    }
    assert len(names) == 3
    assert all(name.startswith("emargement-ailly-2026-03-10") for name in names)


def test_a_stops_sheets_cost_the_same_queries_whatever_the_number_of_registrants(
    claire, tour, django_assert_max_num_queries
):
    # Claire prints the sheets of a busy stop the evening before: each registrant's commune
    # of residence was a query of its own.
    stop = tour["w1"].stop
    url = f"/admin/rapports/emargement/escale/{stop.pk}.pdf"
    claire.get(url)  # the fonts and the stylesheet, once per process
    with django_assert_max_num_queries(100) as few:
        claire.get(url)
    workshop = make_workshop(stop=stop, module=tour["w2"].module, capacity=30)
    for number in range(25):
        make_registration(
            workshop=workshop, first_name=f"P{number}", home_commune=tour["w1"].stop.commune
        )
    with django_assert_max_num_queries(len(few.captured_queries) + 2):  # the new workshop's
        claire.get(url)


def test_the_sheet_of_a_cancelled_stop_says_so_in_its_heading(claire, tour):
    # The van broke down: Claire, from the workshops' list, still printed the sheet, and the
    # mediator replacing her laid out a sheet for a stop that would not happen.
    from django.utils import translation
    from django.utils.translation import gettext

    from mediation.models import StopStatus

    stop = tour["w1"].stop
    stop.status, stop.cancellation_reason = StopStatus.CANCELLED, "Véhicule en panne"
    stop.save()

    _pages, text = pdf_text(claire.get(f"/admin/rapports/emargement/atelier/{tour['w1'].pk}.pdf"))

    with translation.override("fr"):
        mark = gettext("Stop cancelled:")
    heading = text[0].split("N°")[0]  # above the table's heads
    assert " ".join(mark.split()) in " ".join(heading.split())
    assert "Véhicule en panne" in heading


def test_the_sheets_page_says_how_many_people_each_sheet_lists_and_that_it_is_a_pdf(claire):
    # Claire prints the sheets the evening before: which workshops have anyone signed up?
    from django.utils import translation
    from django.utils.translation import ngettext

    full = make_workshop(capacity=8)
    for number in range(3):
        make_registration(workshop=full, first_name=f"P{number}")
    empty = make_workshop(stop=full.stop, start_time=dt.time(14), end_time=dt.time(15))

    html = claire.get("/admin/rapports/emargement/").content.decode()

    with translation.override("fr"):
        three = ngettext("%(count)s registrant", "%(count)s registrants", 3) % {"count": 3}
        none = ngettext("%(count)s registrant", "%(count)s registrants", 0) % {"count": 0}
    for workshop, count in ((full, three), (empty, none)):
        link = html.split(f"/admin/rapports/emargement/atelier/{workshop.pk}.pdf")[1]
        link = link.split("</li>")[0]
        assert count in link and "PDF" in link


def test_ines_prints_the_sheets_of_the_stops_she_runs_and_of_no_other(client, tour):
    # Inès runs tomorrow's stop at Quend and lays the sheet on the table herself; the
    # sheets of Claire's stop at Rue list residents Inès has no reason to see.
    ines = make_mediator()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    hers = make_stop(commune=make_commune(name="Quend"), date=tomorrow)
    hers.mediators.add(ines)
    other = make_stop(commune=make_commune(name="Rue"), date=tomorrow)
    her_workshop = make_workshop(stop=hers)
    other_workshop = make_workshop(stop=other)
    make_registration(workshop=her_workshop, first_name="Josiane", last_name="Vasseur")
    make_registration(workshop=other_workshop, first_name="Gérard", last_name="Dupont")
    client.force_login(ines)

    page = client.get("/admin/rapports/emargement/").content.decode()
    # As a word: the page's CSRF token, random letters, once held "…vRueW…".
    assert "Quend" in page and not re.search(r"\bRue\b", page)
    assert f"/admin/rapports/emargement/atelier/{other_workshop.pk}.pdf" not in page
    assert "Les escales que vous animez dans le mois à venir" in page

    _, text = pdf_text(client.get(f"/admin/rapports/emargement/escale/{hers.pk}.pdf"))
    assert "VASSEUR" in text[0]
    _, text = pdf_text(client.get(f"/admin/rapports/emargement/atelier/{her_workshop.pk}.pdf"))
    assert "VASSEUR" in text[0]
    for url in [
        f"/admin/rapports/emargement/escale/{other.pk}.pdf",
        f"/admin/rapports/emargement/atelier/{other_workshop.pk}.pdf",
        f"/admin/rapports/emargement/atelier/{tour['w1'].pk}.pdf",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "DUPONT" not in response.content.decode(errors="replace")


def test_a_mediator_with_no_stop_this_month_is_told_so(client):
    make_workshop()
    client.force_login(make_mediator())

    page = client.get("/admin/rapports/emargement/").content.decode()

    assert "Vous n’animez aucune escale dans le mois à venir." in page


def test_a_stop_without_a_workshop_has_no_sheet_to_print(claire):
    # Claire typed the address of the sheets of a stop whose workshops are not set yet: a
    # blank PDF would look like a printer fault.
    stop = make_stop()

    response = claire.get(f"/admin/rapports/emargement/escale/{stop.pk}.pdf")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
