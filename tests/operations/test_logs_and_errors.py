"""Logs and error reports tell operators what happened without a resident's phone or e-mail."""

import gzip
import logging
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from mediation.observability import MaskingFilter, MaskingFormatter, mask, sentry_before_send

MARTINE_PHONE = "06 12 34 56 78"
MARTINE_EMAIL = "martine.leroy@example.fr"


@pytest.mark.parametrize(
    "written",
    ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "+33612345678"],
)
def test_a_phone_number_written_any_usual_way_is_masked(written):
    assert mask(f"rappeler Martine au {written} demain") == "rappeler Martine au [phone] demain"


def test_dates_times_durations_and_insee_codes_stay_readable():
    line = "2026-12-08 09:30:00,125 INFO method=GET path=/communes/80021/ duration_ms=1234567890.5"
    assert mask(line) == line


def test_an_email_and_a_personal_link_are_masked():
    token = ".eJyrVkosKMhJTS9JzMnPS1WyUlIyM_:1uA2bC:abcdefghijklmnopqrstuvwxyz012345"
    masked = mask(f"{MARTINE_EMAIL} opened /inscription/{token}/annuler/")
    assert masked == "[e-mail] opened /inscription/[token]/annuler/"


@pytest.mark.parametrize(
    ("path", "masked"),
    [
        ("/r/WRpjAqEnQu8-", "/r/[token]"),
        ("/alertes/Zx8kq3VbN2mPq7rT1aBcD/arret/", "/alertes/[token]/arret/"),
        ("/alertes/Zx8kq3VbN2mPq7rT1aBcD/code/", "/alertes/[token]/code/"),
        ("/sms/webhook/hook-secret-123/", "/sms/webhook/[token]/"),
        ("/agenda/prive/k3VbN2mPq7rT1aBcD.ics", "/agenda/prive/[token].ics"),
    ],
)
def test_the_secrets_in_short_links_alerts_and_webhooks_are_masked_too(path, masked):
    # Whoever reads the logs must not be able to open Martine's registration (/r/ is the
    # SMS's personal link), unsubscribe her alert or post to the SMS webhook.
    assert mask(f"method=GET path={path} status=302") == f"method=GET path={masked} status=302"


@pytest.mark.django_db
def test_a_short_link_followed_is_logged_without_its_token(client, caplog):
    with caplog.at_level(logging.INFO, logger="mediation.requests"):
        client.get("/r/WRpjAqEnQu8-")
    (record,) = [r for r in caplog.records if r.name == "mediation.requests"]
    line = MaskingFormatter("%(message)s").format(record)
    assert "path=/r/[token] status=404" in line
    assert "WRpjAqEnQu8-" not in line


def test_the_log_formatter_masks_messages_arguments_and_tracebacks():
    formatter = MaskingFormatter("%(levelname)s %(message)s")
    try:
        raise ValueError(f"bad phone {MARTINE_PHONE}")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "sign-up by %s", (MARTINE_EMAIL,), sys.exc_info()
        )
    line = formatter.format(record)
    assert line.startswith("ERROR sign-up by [e-mail]")
    assert "bad phone [phone]" in line
    assert MARTINE_PHONE not in line and MARTINE_EMAIL not in line


def test_the_filter_masks_what_reaches_every_handler_even_email_subjects():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "from %s", (MARTINE_PHONE,), None)
    MaskingFilter().filter(record)
    assert record.getMessage() == "from [phone]"


@pytest.mark.django_db
def test_each_request_logs_one_line_with_method_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="mediation.requests"):
        client.get("/communes/?q=0612345678")
    (record,) = [r for r in caplog.records if r.name == "mediation.requests"]
    message = record.getMessage()
    assert message.startswith("method=GET path=/communes/ status=200 duration_ms=")
    # The query string (a search could hold anything) is never logged.
    assert "0612345678" not in message


def test_sentry_events_lose_the_request_body_the_user_and_personal_data():
    event = {
        "message": f"Sign-up failed for {MARTINE_EMAIL}",
        "request": {"url": "https://bus.example.org/ateliers/3/inscription/", "data": "x"},
        "user": {"email": MARTINE_EMAIL},
        "exception": {"values": [{"value": f"invalid phone {MARTINE_PHONE}"}]},
    }
    scrubbed = sentry_before_send(event, {})
    assert "data" not in scrubbed["request"]
    assert "user" not in scrubbed
    assert scrubbed["message"] == "Sign-up failed for [e-mail]"
    assert scrubbed["exception"]["values"][0]["value"] == "invalid phone [phone]"


class FakeSentry(BaseHTTPRequestHandler):
    """Speaks the one thing the SDK needs of Sentry: accept an envelope, answer 200."""

    received: list[bytes] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        FakeSentry.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_an_error_reaches_sentry_with_personal_data_masked():
    import sentry_sdk

    from mediation.observability import init_sentry

    server = HTTPServer(("127.0.0.1", 8193), FakeSentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeSentry.received = []
    try:
        init_sentry(dsn="http://public@127.0.0.1:8193/1", environment="test", traces_sample_rate=0)
        try:
            raise ValueError(f"cannot text {MARTINE_PHONE} nor write to {MARTINE_EMAIL}")
        except ValueError as error:
            sentry_sdk.capture_exception(error)
        sentry_sdk.flush(timeout=5)
    finally:
        sentry_sdk.init()  # no DSN: reporting off again
        server.shutdown()
        server.server_close()
    sent = b"".join(FakeSentry.received).decode()
    assert "cannot text [phone] nor write to [e-mail]" in sent
    assert MARTINE_PHONE not in sent and MARTINE_EMAIL not in sent


def test_error_emails_to_admins_name_the_form_fields_but_hide_their_values(rf):
    from mediation.observability import PersonalDataReporterFilter

    request = rf.post("/ateliers/3/inscription/", {"first_name": "Martine", "phone": MARTINE_PHONE})
    shown = PersonalDataReporterFilter().get_post_parameters(request)
    assert set(shown) == {"first_name", "phone"}
    assert "Martine" not in shown.values() and MARTINE_PHONE not in shown.values()


@pytest.mark.django_db
def test_a_failed_task_keeps_its_traceback_without_the_number_or_address_it_quoted(settings):
    # The worker stores a crashed task's traceback in the database for two weeks (until
    # prune_db_task_results); the exception quoted Martine's number and address, which an
    # erasure of Martine cannot reach there. It is stored masked, as the logs are.
    from django_tasks_db.models import DBTaskResult

    from sessions.messaging import send_outbound_messages
    from sessions.sms import SmsError
    from tests.workers import DATABASE_QUEUE

    settings.TASKS = DATABASE_QUEUE
    queued = send_outbound_messages.enqueue([1])
    stored = DBTaskResult.objects.get(id=queued.id)
    try:
        raise SmsError(f"refused {MARTINE_PHONE} ({MARTINE_EMAIL})", temporary=False)
    except SmsError as error:
        stored.set_failed(error)  # what the worker does with a task that raised

    traceback = DBTaskResult.objects.get(id=queued.id).traceback
    assert "SmsError: refused [phone] ([e-mail])" in traceback
    assert MARTINE_PHONE not in traceback and MARTINE_EMAIL not in traceback
