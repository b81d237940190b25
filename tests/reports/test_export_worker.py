"""Real `manage.py db_worker` processes build the activity exports, as in production: Claire's
browser waits on the export's page, which shows the file once the worker has written it; two
workers given the same task twice build the file once. On PostgreSQL (CI runs it there)."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import ExportStatus, PreparedExport
from reports.services import build_prepared_export
from tests.accessibility import axe_violations
from tests.postgresql import run_at_once
from tests.reports.conftest import PERIOD
from tests.reports.test_statistics_browser import URL, sign_in
from tests.workers import DATABASE_QUEUE, WITH_WORKERS, start_worker

pytestmark = WITH_WORKERS


@override_settings(TASKS=DATABASE_QUEUE)
def test_two_workers_given_the_task_twice_build_the_file_once(client, tour):
    from tests.factories import make_coordinator

    client.force_login(make_coordinator())
    asked = client.post("/admin/rapports/exports/", PERIOD | {"format": "xlsx"})
    export = PreparedExport.objects.get()
    build_prepared_export.enqueue(str(export.pk))  # as a replayed enqueue would

    workers = [start_worker(f"exports-{n}") for n in (1, 2)]
    outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    results = DBTaskResult.objects.filter(task_path="reports.services.build_prepared_export")
    assert sorted(results.values_list("return_value", flat=True)) == ["not_pending", "ready"]
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    download = client.get(f"{asked['Location']}fichier")
    rows = list(load_workbook(io.BytesIO(download.content), read_only=True).active.values)
    assert len(rows) == 6
    assert rows[1][7] == "Atelier collectif"


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_worker_renders_the_report_in_french_with_no_request_behind_it(client, tour):
    from mediation.models import Branding
    from reports.models import Funder
    from tests.factories import make_coordinator

    branding = Branding.load()
    branding.operator_name = "Association Somme Numérique"
    branding.save()
    Funder.objects.create(name="France Services")
    client.force_login(make_coordinator())
    asked = client.post("/admin/rapports/exports/", PERIOD | {"file": "report.pdf"})

    worker = start_worker("exports-report")
    output = worker.communicate(timeout=120)[0].decode()

    assert worker.returncode == 0, output
    download = client.get(f"{asked['Location']}fichier")
    assert download["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(download.content))
    cover, body = (
        reader.pages[0].extract_text(),
        "\n".join(page.extract_text() for page in reader.pages[1:]),
    )
    assert "Compte rendu d’activité" in cover
    assert "Association Somme Numérique" in cover and "France Services" in cover
    assert "Du jeudi 1er janvier 2026 au jeudi 31 décembre 2026" in cover
    assert "Argent - Impôts" in body and "Communes d’où venaient les habitants" in body


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_worker_renders_an_intercommunalitys_flyers_for_a_mediator(client, tour):
    """The batch was rendered in a web worker; now the task worker renders it, outside any
    request: in French, one page per commune of the intercommunality, each with its QR code."""
    from mediation.models import Commune
    from tests.factories import make_mediator
    from tests.flyers.conftest import qr_codes_on_page

    client.force_login(make_mediator())
    asked = client.post("/admin/rapports/affiches/", {"epci": "cc-est", "months": "3"})
    assert asked.status_code == 302
    assert PreparedExport.objects.get().status == ExportStatus.PENDING

    worker = start_worker("exports-flyers")
    output = worker.communicate(timeout=120)[0].decode()

    assert worker.returncode == 0, output
    download = client.get(f"{asked['Location']}fichier")
    assert download["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(download.content)).pages]
    assert len(pages) == 2  # Ailly and Corbie, in name order; Bray is of the other one
    assert "Ailly" in pages[0] and "Corbie" in pages[1]
    assert all("Gratuit, inscription par téléphone" in page for page in pages)
    # The worker's own SITE_URL (tests/worker_settings.py), as a web worker's would be.
    (code,) = qr_codes_on_page(download.content, index=1)
    assert code.endswith(f"/communes/{Commune.objects.get(name='Corbie').slug}/")


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_residents_message_waiting_beside_an_export_goes_first(client, tour):
    from sessions.messaging import send_outbound_messages
    from tests.factories import make_coordinator

    client.force_login(make_coordinator())
    client.post("/admin/rapports/exports/", PERIOD | {"format": "xlsx"})  # queued first
    send_outbound_messages.enqueue([])  # a confirmation queued just after

    worker = start_worker("exports-order")
    output = worker.communicate(timeout=120)[0].decode()

    assert worker.returncode == 0, output
    started = dict(DBTaskResult.objects.values_list("task_path", "started_at"))
    assert (
        started["sessions.messaging.send_outbound_messages"]
        < (started["reports.services.build_prepared_export"])
    )


# Queued, as in production: with the tests' immediate backend the first click's commit built
# the file at once, and a click that got the lock after that build found it ready, no
# longer on its way, and asked for another (seen on a loaded machine).
@override_settings(TASKS=DATABASE_QUEUE)
def test_clicks_at_once_ask_for_one_file(tour):
    from reports.activity import Period
    from reports.services import export_request
    from tests.factories import make_coordinator

    claire = make_coordinator()
    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))

    def click():
        return export_request(user=claire, period=year, fmt="xlsx").pk

    asked = run_at_once([click] * 4)

    assert PreparedExport.objects.count() == 1
    assert len(set(asked)) == 1


@pytest.mark.browser
@override_settings(TASKS=DATABASE_QUEUE)
def test_claires_page_waits_for_the_worker_then_offers_the_file(live_server, page, tour):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url)
    page.goto(live_server.url + URL)

    page.locator("#export-xlsx").click()
    state = page.locator("#export-state")
    # No worker yet: the request waits, and the page says so.
    expect(state).to_contain_text("Le fichier va être préparé dans un instant.")
    assert axe_violations(page) == []

    worker = start_worker("exports-browser", batch=False)
    try:
        # The page asks where the file stands every two seconds and shows it once ready.
        expect(state).to_contain_text("Votre fichier est prêt.", timeout=30_000)
        with page.expect_download() as download_info:
            page.locator("#export-download").click()
        download = download_info.value
        assert download.suggested_filename == "activites-2026-01-01-2026-12-31.xlsx"
        content = io.BytesIO(download.path().read_bytes())  # a temporary name, no extension
        rows = list(load_workbook(content, read_only=True).active.values)
        assert len(rows) == 6
        assert axe_violations(page) == []
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    page.goto(live_server.url + URL)
    expect(page.locator("#recent-exports")).to_contain_text("Télécharger")
