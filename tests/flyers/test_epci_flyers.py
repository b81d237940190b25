"""An intercommunality's flyers, all its communes at once: asked for on the back office's
flyers page, prepared by the task worker (here the immediate backend, once the request
commits), then opened like the other prepared files."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client, TestCase

from mediation.models import PARIS
from reports.models import ExportKind, ExportStatus, PreparedExport
from tests.factories import (
    make_commune,
    make_coordinator,
    make_epci,
    make_mediator,
    make_module,
    make_stop,
    make_user,
)
from tests.flyers.conftest import is_a4_portrait, page_text, pdf_pages, qr_codes_on_page
from tests.reports.test_prepared_exports import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding")]


@pytest.fixture
def client(client):
    """A coordinator's browser: the batch is for signed-in staff only."""
    client.force_login(make_coordinator())
    return client


@pytest.fixture
def epci_with_communes():
    epci = make_epci(name="CC des Essais", slug="cc-des-essais")
    names = ["Woincourt", "Feuquières-en-Vimeu", "Ault", "Friville-Escarbotin"]
    communes = [
        make_commune(
            name=name, epci=epci, latitude=Decimal("50.05") + number, longitude=Decimal("1.6")
        )
        for number, name in enumerate(names)
    ]
    make_commune(name="Ailleurs", epci=make_epci())
    for commune in communes[:2]:
        make_stop(commune=commune, date=dt.date.today() + dt.timedelta(days=4))
    return epci, communes


FLYERS = "/admin/rapports/affiches/"
FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
EXPORTS = "/admin/rapports/exports/"


def ask_for_flyers(client, data, *, worker_runs=True):
    """A click on "Préparer les affiches (PDF)"; the worker runs once the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=worker_runs) as callbacks:
        response = client.post(FLYERS, data)
    return response, callbacks


def flyers_pdf(client, epci_slug="cc-des-essais", months="3") -> bytes:
    asked, _callbacks = ask_for_flyers(client, {"epci": epci_slug, "months": months})
    assert asked.status_code == 302, asked.content[:300]
    download = client.get(f"{asked['Location']}fichier")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("inline")  # opens in the reader
    return download.content


def test_the_batch_has_one_a4_page_per_commune_of_the_epci_in_name_order(
    client, epci_with_communes
):
    epci, communes = epci_with_communes
    pages = pdf_pages(flyers_pdf(client))
    assert len(pages) == len(communes)
    assert all(is_a4_portrait(page) for page in pages)
    expected = sorted(commune.name for commune in communes)
    for page, name in zip(pages, expected, strict=True):
        assert name in page_text(page)
    assert "Ailleurs" not in " ".join(page_text(page) for page in pages)


def test_each_page_of_the_batch_has_its_own_commune_qr_code(client, epci_with_communes):
    epci, communes = epci_with_communes
    pdf = flyers_pdf(client)
    first = sorted(communes, key=lambda commune: commune.name)[-1]
    assert qr_codes_on_page(pdf, index=len(communes) - 1) == [
        f"http://testserver/communes/{first.slug}/"
    ]


def test_the_period_chosen_decides_which_stops_are_printed(client, epci_with_communes):
    _epci, communes = epci_with_communes
    ault = communes[2]  # no stop of its own in the fixture
    later = dt.date.today() + dt.timedelta(days=70)
    make_stop(commune=ault, date=later)
    month = FRENCH_MONTHS[later.month - 1]  # the other stops are 4 days away: another month

    def ault_page(months: str) -> str:
        first_page = pdf_pages(flyers_pdf(client, months=months))[0]  # in name order
        assert "Ault" in page_text(first_page)
        return page_text(first_page)

    assert month in ault_page("3")
    assert month not in ault_page("1")
    first = PreparedExport.objects.order_by("requested_at").first()
    assert (first.start, first.end.month) == (dt.date.today(), (dt.date.today().month + 2) % 12 + 1)
    assert first.filename == (
        f"affiches-{first.start.isoformat()}-{first.end.isoformat()}-cc-des-essais.pdf"
    )


def test_claire_asks_and_is_told_the_flyers_are_being_prepared(client, epci_with_communes):
    page = client.get(FLYERS)
    assert page.status_code == 200
    text = text_of(page)
    assert "Affiches pour les mairies" in text
    assert "Préparer les affiches (PDF)" in text
    assert "puis gardé pour vous sur cette page pendant 7 jours." in text
    assert "CC des Essais" in text

    asked, callbacks = ask_for_flyers(
        client, {"epci": "cc-des-essais", "months": "3"}, worker_runs=False
    )
    assert len(callbacks) == 1, "the task is queued once the request commits"
    export = PreparedExport.objects.get()
    assert (export.kind, export.fmt, export.epci.slug) == (
        ExportKind.FLYERS,
        "pdf",
        "cc-des-essais",
    )
    assert asked["Location"] == f"{EXPORTS}{export.pk}/"
    waiting = text_of(client.get(asked["Location"]))
    assert "Affiches pour les mairies" in waiting
    assert "la plus grande intercommunalité" not in waiting
    assert "le fichier vous attendra sur la page des affiches" in waiting
    assert "Retour aux affiches" in waiting


def test_once_ready_the_page_opens_the_flyers_and_lists_them(client, epci_with_communes):
    asked, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})
    export = PreparedExport.objects.get()
    assert export.status == ExportStatus.READY
    ready = text_of(client.get(asked["Location"]))
    assert "Votre fichier est prêt." in ready
    assert "Ouvrir les affiches" in ready
    assert "imprimez-les à nouveau après un changement de la tournée" in ready
    listed = client.get(FLYERS).content.decode()
    assert 'id="recent-exports"' in listed
    assert f'href="{EXPORTS}{export.pk}/fichier"' in listed


def test_without_an_intercommunality_the_form_says_so_next_to_the_field(client, epci_with_communes):
    response, callbacks = ask_for_flyers(client, {"epci": "", "months": "3"})
    assert response.status_code == 400
    assert "Choisissez l’intercommunalité dont imprimer les affiches." in text_of(response)
    response, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "9"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text_of(response)
    assert PreparedExport.objects.count() == 0
    assert callbacks == []


def test_a_double_click_asks_for_one_file(client, epci_with_communes):
    first, _one = ask_for_flyers(
        client, {"epci": "cc-des-essais", "months": "3"}, worker_runs=False
    )
    second, _two = ask_for_flyers(
        client, {"epci": "cc-des-essais", "months": "3"}, worker_runs=False
    )
    assert first["Location"] == second["Location"]
    assert PreparedExport.objects.count() == 1


def test_a_mediator_prints_the_batch_but_sees_no_figures(epci_with_communes):
    ines = Client()
    ines.force_login(make_mediator())

    assert ines.get(FLYERS).status_code == 200
    assert len(pdf_pages(flyers_pdf(ines))) == 4
    assert ines.get("/admin/rapports/").status_code in (302, 403)  # Wagtail's refusal
    response = ines.post(
        EXPORTS, {"start": "2026-01-01", "end": "2026-12-31", "file": "report.pdf"}
    )
    assert response.status_code in (302, 403)
    assert PreparedExport.objects.filter(kind=ExportKind.REPORT).count() == 0


def test_nobody_else_sees_the_file_and_the_figures_form_cannot_ask_for_flyers(
    client, epci_with_communes
):
    ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})
    export = PreparedExport.objects.get()
    other = Client()
    other.force_login(make_mediator("olivier"))
    for suffix in ["", "etat.json", "fichier"]:
        assert other.get(f"{EXPORTS}{export.pk}/{suffix}").status_code == 404
    refused = client.post(
        EXPORTS,
        {"start": "2026-01-01", "end": "2026-12-31", "epci": "cc-des-essais", "file": "flyers.pdf"},
    )
    assert refused.status_code == 404
    assert PreparedExport.objects.count() == 1


def test_a_failed_batch_is_asked_for_again_as_flyers(
    client, epci_with_communes, monkeypatch, caplog
):
    from reports import services

    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(services, "render_pdf", broken)
    asked, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "2"})
    export = PreparedExport.objects.get()
    assert export.status == ExportStatus.FAILED
    page = client.get(asked["Location"]).content.decode()
    assert f'action="{FLYERS}"' in page
    assert 'name="epci" value="cc-des-essais"' in page
    assert 'name="months" value="2"' in page

    monkeypatch.undo()
    again, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "2"})
    assert again["Location"] != asked["Location"]
    assert PreparedExport.objects.filter(status=ExportStatus.READY, kind="flyers").count() == 1


def test_the_former_address_leads_to_the_flyers_page_with_the_choice_made(
    client, epci_with_communes
):
    response = client.get("/intercommunalites/cc-des-essais/affiches.pdf?mois=6")
    assert response.status_code == 302
    assert response["Location"] == f"{FLYERS}?epci=cc-des-essais&mois=6"
    page = client.get(response["Location"]).content.decode()
    assert '<option value="cc-des-essais" selected>' in page
    assert '<option value="6" selected>' in page
    assert PreparedExport.objects.count() == 0, "a GET asks for nothing"


def test_a_bad_period_for_the_batch_gets_a_400(client, epci_with_communes):
    response = client.get("/intercommunalites/cc-des-essais/affiches.pdf?periode=douze")
    assert response.status_code == 400


def test_an_unknown_epci_gets_a_404(client):
    assert client.get("/intercommunalites/nulle-part/affiches.pdf").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(epci_with_communes):
    for url in ["/intercommunalites/cc-des-essais/affiches.pdf", FLYERS]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_signed_in_account_without_a_staff_role_is_refused(epci_with_communes):
    visitor = Client()
    visitor.force_login(make_user("curieux"))
    assert visitor.get("/intercommunalites/cc-des-essais/affiches.pdf").status_code == 403
    assert visitor.get(FLYERS).status_code in (302, 403)
    assert visitor.post(FLYERS, {"epci": "cc-des-essais", "months": "3"}).status_code in (302, 403)
    assert PreparedExport.objects.count() == 0


def test_deleting_the_flyers_leads_back_to_the_flyers_page(client, epci_with_communes):
    asked, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})
    export = PreparedExport.objects.get()

    deleted = client.post(f"{asked['Location']}supprimer")

    assert deleted.status_code == 302
    assert deleted["Location"] == FLYERS
    assert not PreparedExport.objects.exists()
    page = text_of(client.get(FLYERS))
    assert f"Le fichier {export.filename} est supprimé." in page


def test_an_intercommunality_without_a_commune_is_not_offered(client, epci_with_communes):
    make_epci(name="CC Disparue", slug="cc-disparue")

    assert "CC Disparue" not in client.get(FLYERS).content.decode()
    response, _callbacks = ask_for_flyers(client, {"epci": "cc-disparue", "months": "3"})
    assert response.status_code == 400
    assert not PreparedExport.objects.exists()


def test_a_choice_in_the_address_that_the_page_does_not_offer_is_left_unmade(
    client, epci_with_communes
):
    page = client.get(f"{FLYERS}?epci=nulle-part&mois=9")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="cc-des-essais" selected>' not in html  # "À choisir" shows
    assert "nulle-part" not in html
    assert '<option value="3" selected>' in html  # three months, as a town hall's flyer


def test_the_same_flyers_asked_for_again_are_copied_not_rendered_again(
    client, epci_with_communes, pdf_renders
):
    """WeasyPrint takes seconds for an intercommunality: a second mediator printing the same
    batch gets the file already made, the same bytes, without a second rendering."""
    first = flyers_pdf(client)
    ines = Client()
    ines.force_login(make_mediator())
    second = flyers_pdf(ines)

    assert len(pdf_renders) == 1
    assert second == first
    assert len(pdf_pages(second)) == 4
    files = PreparedExport.objects.order_by("requested_at")
    assert len({export.requested_by_id for export in files}) == 2, "each has a file of their own"
    assert files[0].source_digest == files[1].source_digest != ""


def test_flyers_asked_for_after_the_tour_changed_are_rendered_with_the_change(
    client, epci_with_communes, pdf_renders
):
    _epci, communes = epci_with_communes
    ault = communes[2]  # no stop of its own in the fixture: its page lists its neighbours'
    before = page_text(pdf_pages(flyers_pdf(client))[0])
    later = dt.date.today() + dt.timedelta(days=40)
    make_stop(commune=ault, date=later, place_name="Salle des fêtes d’Ault")
    after = page_text(pdf_pages(flyers_pdf(client))[0])

    assert len(pdf_renders) == 2
    assert "Ault" in before and "Ault" in after
    assert "Salle des fêtes d’Ault" not in before
    assert "Salle des fêtes d’Ault" in after
    digests = PreparedExport.objects.values_list("source_digest", flat=True)
    assert len(set(digests)) == 2


def test_a_fourth_batch_on_its_way_is_refused_on_the_flyers_page(client, epci_with_communes):
    for months in ("1", "2", "3"):
        ask_for_flyers(client, {"epci": "cc-des-essais", "months": months}, worker_runs=False)

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        refused = client.post(FLYERS, {"epci": "cc-des-essais", "months": "4"}, follow=True)

    assert refused.redirect_chain == [(FLYERS, 302)]
    assert "Vous avez déjà 3 fichiers en préparation" in text_of(refused)
    assert PreparedExport.objects.count() == 3
    assert callbacks == []


def test_the_same_flyers_asked_for_twice_are_listed_once_until_the_tour_changes(
    client, epci_with_communes
):
    flyers_pdf(client)
    # A change that these flyers do not show (a module no stop offers yet): the worker
    # prepares them again, to the same file.
    make_module(title="Découvrir France Connect")
    flyers_pdf(client)
    first, second = PreparedExport.objects.order_by("requested_at")

    listed = client.get(FLYERS).content.decode()
    assert f"{EXPORTS}{second.pk}/fichier" in listed
    assert f"{EXPORTS}{first.pk}/" not in listed, "the same file, listed once: the newest"
    assert client.get(f"{EXPORTS}{first.pk}/fichier").status_code == 200, "still kept"

    _epci, communes = epci_with_communes
    make_stop(commune=communes[2], date=dt.date.today() + dt.timedelta(days=40))
    flyers_pdf(client)
    third = PreparedExport.objects.order_by("requested_at").last()

    listed = client.get(FLYERS).content.decode()
    assert f"{EXPORTS}{third.pk}/fichier" in listed
    assert f"{EXPORTS}{second.pk}/fichier" in listed, "another file: the tour changed"
    assert f"{EXPORTS}{first.pk}/" not in listed


def test_asking_again_for_flyers_already_ready_opens_the_same_file(
    client, epci_with_communes, pdf_renders
):
    """Claire clicks "Préparer" again on Tuesday afternoon, the tour unchanged: she is led to
    the file she has, not to a new one waiting for the worker (nor a second copy kept)."""
    first, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})
    again, callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})

    assert again["Location"] == first["Location"]
    assert PreparedExport.objects.count() == 1
    assert callbacks == [], "nothing is asked of the worker"
    assert len(pdf_renders) == 1
    assert "Votre fichier est prêt." in text_of(client.get(again["Location"]))


def test_flyers_prepared_before_a_stop_ended_say_so_and_are_prepared_again(
    client, epci_with_communes
):
    """Prepared at 9 h, the flyers list Ault's market stop of 10 h; at 13 h the van has left.
    The file's page says that the flyers list a stop that is over, and asking again gives
    flyers from the next stops, not the morning's file."""
    _epci, communes = epci_with_communes
    today = dt.date.today()
    make_stop(
        commune=communes[2],
        date=today,
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
        place_name="Place du marché d’Ault",
    )
    with time_machine.travel(dt.datetime.combine(today, dt.time(9, 0), PARIS), tick=False):
        morning, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})
        assert "Place du marché d’Ault" in page_text(
            pdf_pages(client.get(f"{morning['Location']}fichier").content)[0]
        )
        assert "passée" not in text_of(client.get(morning["Location"]))

    with time_machine.travel(dt.datetime.combine(today, dt.time(13, 0), PARIS), tick=False):
        page = text_of(client.get(morning["Location"]))
        listed = text_of(client.get(FLYERS))
        afternoon, _callbacks = ask_for_flyers(client, {"epci": "cc-des-essais", "months": "3"})
        pdf = client.get(f"{afternoon['Location']}fichier").content

    assert "ces affiches indiquent une escale passée" in page
    assert "(périmées : une escale est passée)" in listed
    assert "Demander à nouveau ce fichier" in page
    assert afternoon["Location"] != morning["Location"]
    assert "Place du marché d’Ault" not in page_text(pdf_pages(pdf)[0])
