"""SMS backends are pluggable like Django's e-mail backends; none calls a real provider."""

import io

from django.test import override_settings

from sessions import sms


def test_the_locmem_backend_keeps_messages_in_the_outbox():
    assert sms.send_sms("+33612345678", "Bonjour") == 1
    assert [(message.to, message.body) for message in sms.outbox] == [("+33612345678", "Bonjour")]


def test_the_file_backend_appends_messages_to_a_file(tmp_path):
    with override_settings(SMS_BACKEND="sessions.sms.FileSmsBackend", SMS_FILE_PATH=tmp_path):
        sms.send_sms("+33612345678", "Premier")
        sms.send_sms("+33700000000", "Second")

    (log,) = tmp_path.iterdir()
    content = log.read_text(encoding="utf-8")
    assert "+33612345678" in content and "Premier" in content and "Second" in content
    assert sms.outbox == []


def test_the_console_backend_prints_messages():
    stream = io.StringIO()
    backend = sms.get_sms_backend("sessions.sms.ConsoleSmsBackend", stream=stream)

    backend.send_messages([sms.SmsMessage(to="+33612345678", body="Rappel")])

    assert "+33612345678" in stream.getvalue() and "Rappel" in stream.getvalue()
