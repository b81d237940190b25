"""Activity exports prepared by the task worker: Claire asks, the worker builds, she downloads
within a week; nobody else sees her file, and the purge deletes it.

These run the task in the test's own process (the immediate backend, or `export_build`
called as the worker would); test_export_worker.py runs a real worker process.
"""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from mediation.templatetags.french_dates import longdatetime
from reports import services
from reports.models import ExportStatus, PreparedExport
from reports.services import export_build, exports_purge
from tests.factories import make_coordinator, make_stop
from tests.reports.conftest import EXPORTS, PERIOD, download_file
from tests.reports.conftest import ask_for_export as ask  # Claire's click on a button
from tests.reports.test_activity_export import read_csv

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's words as a person reads them: no tags, spaces (no-break ones too) as one."""
    return text_of_html(response.content.decode())


def text_of_html(html: str) -> str:
    return plain(re.sub(r"<[^>]+>", " ", html))


def plain(text: str) -> str:
    return " ".join(text.split())


def test_claire_asks_for_the_export_and_is_told_it_is_being_prepared(claire, tour):
    response, callbacks = ask(claire)

    assert response.status_code == 302
    export = PreparedExport.objects.get()
    assert response["Location"] == f"{EXPORTS}{export.pk}/"
    assert len(callbacks) == 1, "the task is queued once the request commits"
    page = claire.get(response["Location"])
    assert page.status_code == 200
    assert "Le fichier va être préparé dans un instant." in text_of(page)
    assert "Période : 01/01/2026 – 31/12/2026. Format : XLSX." in text_of(page)
    assert "Actualiser la page" in text_of(page)  # without JavaScript, a link does it
    assert f'data-state-url="{EXPORTS}{export.pk}/etat.json"' in page.content.decode()
    state = claire.get(f"{EXPORTS}{export.pk}/etat.json")
    assert state.json() == {"status": "pending", "in_progress": True}
    assert "no-store" in state["Cache-Control"]  # the back office's own headers
    assert claire.get(f"{EXPORTS}{export.pk}/fichier").status_code == 404


def test_once_built_the_page_offers_the_file_until_it_is_deleted(claire, tour):
    response, _callbacks = ask(claire, worker_runs=True)

    export = PreparedExport.objects.get()
    assert export.status == ExportStatus.READY
    assert export.row_count == 5
    page = text_of(claire.get(response["Location"]))
    assert "Votre fichier est prêt. activites-2026-01-01-2026-12-31.xlsx : 5 lignes" in page
    assert "Télécharger le fichier" in page
    with translation.override("fr"):
        until = longdatetime(export.requested_at + dt.timedelta(days=7))
    assert f"Disponible jusqu’au {plain(until)}, puis supprimé." in page  # "lundi 7 décembre…"
    state = claire.get(f"{EXPORTS}{export.pk}/etat.json").json()
    assert state == {"status": "ready", "in_progress": False}
    download = claire.get(f"{EXPORTS}{export.pk}/fichier")
    assert download["Content-Disposition"] == (
        'attachment; filename="activites-2026-01-01-2026-12-31.xlsx"'
    )
    assert "no-store" in download["Cache-Control"]
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == 6  # the header, five people helped
    assert len(download.content) == export.size


def test_the_csv_of_an_intercommunality_is_named_after_it(claire, tour):
    ask(claire, "csv", PERIOD | {"epci": "cc-est"}, worker_runs=True)

    export = PreparedExport.objects.get()
    download = claire.get(f"{EXPORTS}{export.pk}/fichier")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert export.filename == "activites-2026-01-01-2026-12-31-cc-est.csv"
    assert {row["Commune"] for row in read_csv(download.content)} == {"Ailly"}


def test_a_double_click_asks_for_one_file(claire, tour):
    first, callbacks_one = ask(claire)
    second, callbacks_two = ask(claire)

    assert first["Location"] == second["Location"]
    assert PreparedExport.objects.count() == 1
    assert len(callbacks_one) + len(callbacks_two) == 1, "one task for one file"
    ask(claire, "csv")
    assert PreparedExport.objects.count() == 2, "another format is another file"


def test_the_task_run_twice_builds_the_file_once(claire, tour):
    ask(claire)
    export = PreparedExport.objects.get()

    assert export_build(export_id=str(export.pk)) == ExportStatus.READY
    finished = PreparedExport.objects.get().finished_at
    assert export_build(export_id=str(export.pk)) == "not_pending"
    assert PreparedExport.objects.get().finished_at == finished


def test_nobody_else_sees_or_downloads_claires_file(claire, tour):
    ask(claire, worker_runs=True)
    export = PreparedExport.objects.get()
    other = Client()
    other.force_login(make_coordinator("bernard"))

    for suffix in ["", "etat.json", "fichier"]:
        assert other.get(f"{EXPORTS}{export.pk}/{suffix}").status_code == 404
    assert "recent-exports" not in other.get("/admin/rapports/", PERIOD).content.decode()
    assert "recent-exports" in claire.get("/admin/rapports/", PERIOD).content.decode()


def test_the_statistics_page_lists_her_exports_with_their_links(claire, tour):
    ask(claire, worker_runs=True)
    ask(claire, "csv")
    ready, waiting = (
        PreparedExport.objects.get(fmt="xlsx"),
        PreparedExport.objects.get(fmt="csv"),
    )

    page = claire.get("/admin/rapports/", PERIOD).content.decode()
    table = page[page.index('id="recent-exports"') :]
    assert f'href="{EXPORTS}{ready.pk}/fichier"' in table
    assert f'href="{EXPORTS}{waiting.pk}/"' in table
    assert "En préparation" in table
    assert "01/01/2026 – 31/12/2026" in table


def test_a_failed_build_is_said_plainly_and_can_be_asked_again(claire, tour, monkeypatch, caplog):
    def broken(period, output):
        raise OSError("disk full")

    monkeypatch.setattr(services, "write_activity_xlsx", broken)
    response, _callbacks = ask(claire, worker_runs=True)

    export = PreparedExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert f"The export {export.pk} failed" in caplog.text
    assert "disk full" in caplog.text
    page = text_of(claire.get(response["Location"]))
    assert "Le fichier n’a pas pu être préparé." in page
    assert "Demander à nouveau ce fichier" in page
    assert claire.get(f"{EXPORTS}{export.pk}/fichier").status_code == 404

    monkeypatch.undo()
    again, _callbacks = ask(claire, worker_runs=True)
    assert again["Location"] != response["Location"]
    assert PreparedExport.objects.filter(status=ExportStatus.READY).count() == 1


def test_a_build_whose_worker_died_is_offered_again(claire, tour):
    response, _callbacks = ask(claire)
    export = PreparedExport.objects.get()
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    PreparedExport.objects.update(status=ExportStatus.RUNNING, started_at=an_hour_ago)

    page = text_of(claire.get(response["Location"]))
    assert "Le fichier n’a pas pu être préparé." in page
    assert claire.get(f"{EXPORTS}{export.pk}/etat.json").json()["in_progress"] is False
    again, _callbacks = ask(claire)
    assert again["Location"] != response["Location"]


def test_a_request_no_worker_takes_warns_that_the_service_may_be_stopped(claire, tour):
    response, _callbacks = ask(claire)
    PreparedExport.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=5))

    page = text_of(claire.get(response["Location"]))
    assert "le service qui prépare les fichiers est peut-être arrêté" in page


@override_settings(EXPORT_RETENTION_DAYS=7)
def test_after_a_week_the_file_is_gone_and_the_purge_deletes_it(claire, tour):
    response, _callbacks = ask(claire, worker_runs=True)
    export = PreparedExport.objects.get()
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    PreparedExport.objects.update(requested_at=eight_days_ago)
    ask(claire, "csv", worker_runs=True)  # this week's: kept

    download = claire.get(f"{EXPORTS}{export.pk}/fichier")
    assert download.status_code == 410
    assert "Ce fichier n’est plus disponible : les exports sont gardés 7 jours." in text_of(
        download
    )
    assert not download.get("Content-Disposition")
    output = io.StringIO()
    call_command("purge_prepared_exports", stdout=output)
    assert "1 fichier préparé supprimé (conservation : 7 jours)." in plain(output.getvalue())
    assert list(PreparedExport.objects.values_list("fmt", flat=True)) == ["csv"]
    assert claire.get(response["Location"]).status_code == 404
    assert exports_purge() == 0


def test_a_wrong_period_or_format_saves_nothing(claire, tour):
    wrong_period, _callbacks = ask(claire, period={"start": "2026-12-31", "end": "2026-01-01"})
    assert wrong_period.status_code == 400
    assert "La fin de la période" in text_of(wrong_period)
    assert claire.post(EXPORTS, PERIOD | {"format": "pdf"}).status_code == 404
    assert claire.get(EXPORTS).status_code == 405
    assert not PreparedExport.objects.exists()


def test_the_former_address_of_the_export_leads_to_the_statistics_of_the_period(claire, tour):
    response = claire.get("/admin/rapports/activites.xlsx", PERIOD | {"epci": "cc-est"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/rapports/?start=2026-01-01&end=2026-12-31&epci=cc-est"
    assert not PreparedExport.objects.exists(), "a GET asks for nothing"


def test_claire_deletes_her_file_once_downloaded_and_nobody_else_can(claire, tour):
    response, _callbacks = ask(claire, worker_runs=True)
    export = PreparedExport.objects.get()
    page = claire.get(response["Location"]).content.decode()
    assert f'action="{EXPORTS}{export.pk}/supprimer"' in page
    other = Client()
    other.force_login(make_coordinator("bernard"))

    assert other.post(f"{EXPORTS}{export.pk}/supprimer").status_code == 404
    assert claire.get(f"{EXPORTS}{export.pk}/supprimer").status_code == 405
    assert PreparedExport.objects.exists()
    deleted = claire.post(f"{EXPORTS}{export.pk}/supprimer", follow=True)

    assert deleted.redirect_chain[0][0] == "/admin/rapports/?start=2026-01-01&end=2026-12-31"
    assert "Le fichier activites-2026-01-01-2026-12-31.xlsx est supprimé." in text_of(deleted)
    assert not PreparedExport.objects.exists()
    assert claire.get(f"{EXPORTS}{export.pk}/fichier").status_code == 404


def test_a_build_whose_request_was_deleted_meanwhile_keeps_nothing(claire, tour, monkeypatch):
    ask(claire)
    export = PreparedExport.objects.get()

    def deleted_while_writing(period, output):
        PreparedExport.objects.all().delete()  # Claire deletes it while the worker writes
        output.write(b"rows")
        return 1

    monkeypatch.setattr(services, "write_activity_xlsx", deleted_while_writing)
    export_build(export_id=str(export.pk))

    assert not PreparedExport.objects.exists()


def test_a_fourth_export_waits_for_one_of_the_three_on_their_way(claire, tour):
    months = [
        ("2026-01-01", "2026-01-31"),
        ("2026-02-01", "2026-02-28"),
        ("2026-03-01", "2026-03-31"),
    ]
    for start, end in months:
        ask(claire, period={"start": start, "end": end})
    assert PreparedExport.objects.count() == 3

    refused = claire.post(EXPORTS, PERIOD | {"format": "xlsx"}, follow=True)

    assert refused.redirect_chain[0][0] == "/admin/rapports/?start=2026-01-01&end=2026-12-31"
    assert "Vous avez déjà 3 fichiers en préparation" in text_of(refused)
    assert PreparedExport.objects.count() == 3
    again, _callbacks = ask(claire, period={"start": "2026-01-01", "end": "2026-01-31"})
    assert again.status_code == 302, "the same file as one on its way is still given back"
    export_build(export_id=str(PreparedExport.objects.order_by("requested_at").first().pk))
    assert ask(claire)[0]["Location"].startswith(EXPORTS), "one ready: room for another"
    assert PreparedExport.objects.count() == 4


def test_the_statistics_workbook_and_the_report_are_prepared_by_the_worker_too(claire, tour):
    workbook, _callbacks = ask(claire, "xlsx", kind="statistics", worker_runs=True)
    report, _callbacks = ask(claire, "pdf", kind="report", worker_runs=True)

    statistics = PreparedExport.objects.get(kind="statistics")
    assert statistics.filename == "statistiques-2026-01-01-2026-12-31.xlsx"
    page = text_of(claire.get(workbook["Location"]))
    assert "Classeur de statistiques" in page
    assert "Période : 01/01/2026 – 31/12/2026. Format : XLSX." in page
    # Figures, not rows of people: the page gives the file's name and size only.
    assert re.search(r"statistiques-2026-01-01-2026-12-31\.xlsx : [\d,]+ Kio\.", page), page
    sheet = load_workbook(io.BytesIO(claire.get(f"{workbook['Location']}fichier").content)).active
    assert any(
        "Accompagnements" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
    )
    # The report opens in the browser's reader, as it did when built in the request.
    report_page = claire.get(report["Location"]).content.decode()
    opening = re.search(r'<a [^>]*id="export-download"[^>]*>([^<]*)</a>', report_page)
    assert opening.group(1) == "Ouvrir le rapport"
    assert " download" not in opening.group(0)
    pdf = claire.get(f"{report['Location']}fichier")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'inline; filename="rapport-activite-2026-01-01-2026-12-31.pdf"'
    )
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 3
    listing = claire.get("/admin/rapports/", PERIOD).content.decode()
    table = text_of_html(listing[listing.index('id="recent-exports"') :])
    assert "Rapport d’activité (PDF) Ouvrir (" in table
    assert "Classeur de statistiques (XLSX) Télécharger (" in table
    assert "Export des activités" not in table


def test_each_file_is_its_own_request_and_a_file_never_written_so_is_refused(claire, tour):
    ask(claire, "xlsx")
    ask(claire, "xlsx", kind="statistics")
    ask(claire, "xlsx", kind="statistics")  # a double click

    assert sorted(PreparedExport.objects.values_list("kind", flat=True)) == [
        "activities",
        "statistics",
    ]
    for wrong in ["report.xlsx", "statistics.csv", "activities.pdf", "payslips.xlsx", "pdf"]:
        assert claire.post(EXPORTS, PERIOD | {"file": wrong}).status_code == 404, wrong
    assert PreparedExport.objects.count() == 2


def test_a_page_opened_before_the_change_still_asks_for_the_activity_export(claire, tour):
    asked = claire.post(EXPORTS, PERIOD | {"format": "csv"})

    assert asked.status_code == 302
    assert PreparedExport.objects.get().filename == "activites-2026-01-01-2026-12-31.csv"


def test_a_failed_report_is_asked_for_again_as_a_report(claire, tour, monkeypatch, caplog):
    def broken(period, **_options):
        raise OSError("no fonts")

    monkeypatch.setattr(services, "render_pdf", broken)
    response, _callbacks = ask(claire, "pdf", kind="report", worker_runs=True)

    assert PreparedExport.objects.get().status == ExportStatus.FAILED
    page = claire.get(response["Location"]).content.decode()
    assert 'name="file" value="report.pdf"' in page
    monkeypatch.undo()
    assert download_file(claire, "pdf", PERIOD, kind="report").content.startswith(b"%PDF")


def test_the_same_report_asked_for_again_is_copied_until_the_figures_change(
    claire, tour, pdf_renders
):
    first = download_file(claire, "pdf", PERIOD, kind="report").content
    again = download_file(claire, "pdf", PERIOD, kind="report").content
    assert (len(pdf_renders), again) == (1, first)

    make_stop(
        commune=tour["w1"].stop.commune, date=dt.date(2026, 6, 2), place_name="Salle polyvalente"
    )
    changed = download_file(claire, "pdf", PERIOD, kind="report").content

    assert len(pdf_renders) == 2
    assert changed != first
    assert PdfReader(io.BytesIO(changed)).pages[0].extract_text()
    assert PreparedExport.objects.count() == 3


@pytest.mark.parametrize(
    ("former", "what"), [("statistiques.xlsx", "the workbook"), ("rapport.pdf", "the report")]
)
def test_the_former_addresses_of_the_workbook_and_report_lead_to_the_statistics(
    claire, tour, former, what
):
    response = claire.get(f"/admin/rapports/{former}", PERIOD)

    assert response.status_code == 302, what
    assert response["Location"] == "/admin/rapports/?start=2026-01-01&end=2026-12-31"
    assert not PreparedExport.objects.exists(), "a GET asks for nothing"


def test_the_shipped_worker_yields_the_processors_to_the_web_workers():
    """Its builds take seconds of CPU; on the two processors of a small server, a resident's
    page must not wait behind a coordinator's report."""
    from pathlib import Path

    unit = Path(__file__).resolve().parents[2] / "deploy" / "mediation-worker.service"
    nice = re.search(r"^Nice=(\d+)$", unit.read_text(), re.MULTILINE)
    assert nice and int(nice.group(1)) > 0


def test_a_report_kept_from_an_untagged_rendering_is_not_copied_into_a_tagged_one(
    claire, tour, pdf_renders
):
    """A report rendered before reports were tagged (or any PDF of the same document
    rendered untagged) is not what a funder's screen reader needs: the same document asked
    for tagged is rendered, not copied."""
    from mediation.pdf import document_digest
    from reports.activity import Period
    from reports.documents import REPORT_STYLESHEETS, report_html

    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    untagged = b"%PDF-1.7 an untagged report"
    PreparedExport.objects.create(
        requested_by=make_coordinator("olivia"),  # anyone's kept file is copied
        kind="report",
        fmt="pdf",
        start=period.start,
        end=period.end,
        status=ExportStatus.READY,
        content=untagged,
        size=len(untagged),
        source_digest=document_digest(report_html(period), stylesheets=REPORT_STYLESHEETS),
    )

    report = download_file(claire, "pdf", PERIOD, kind="report").content

    assert report != untagged
    assert len(pdf_renders) == 1
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(report)).trailer["/Root"]


def test_the_csv_button_tells_claire_to_take_the_xlsx_for_excel(claire, tour):
    # French Excel reads the Coop's "1/3" and "2/12" of the CSV as dates ("01-mars"): the CSV
    # is for the national tool's import; the XLSX keeps them as text. Said by the button.
    from bs4 import BeautifulSoup

    page = BeautifulSoup(claire.get("/admin/rapports/", PERIOD).content.decode(), "html.parser")

    button = page.find(id="export-csv")
    hint = page.find(id=button["aria-describedby"])
    assert "Excel" in hint.get_text() and "XLSX" in hint.get_text()
    assert "dates" in hint.get_text()
