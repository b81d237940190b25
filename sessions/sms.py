"""Outbound SMS through a pluggable backend, in the manner of Django's e-mail backends.

`settings.SMS_BACKEND` names the class: the console backend prints messages (development),
the file backend writes them to `settings.SMS_FILE_PATH`, the locmem backend keeps them in
`sessions.sms.outbox` (tests), and `BrevoSmsBackend` sends for real through Brevo's
transactional SMS API. A backend's `send` returns the provider's id for the message or
raises `SmsError`, `temporary` (worth retrying later) or not.
"""

import datetime as dt
import json
import logging
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass
class SmsMessage:
    to: str
    body: str
    sent_at: dt.datetime = field(default_factory=timezone.now)


class SmsError(Exception):
    """The provider did not take the message; `reason` is its own words, for staff."""

    def __init__(self, reason: str, *, temporary: bool, refused_number: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        # The provider says this number can never receive: it goes on the opt-out list.
        self.refused_number = refused_number


# Filled by LocmemSmsBackend; tests empty it between runs.
outbox: list[SmsMessage] = []


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> str:
        """Send one message; returns the provider's id for it (may be empty)."""
        self.send_messages([message])
        return ""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
            self.stream.flush()
        return len(messages)


class FileSmsBackend(BaseSmsBackend):
    """Appends each message to one file per day in `settings.SMS_FILE_PATH`."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or getattr(settings, "SMS_FILE_PATH", settings.BASE_DIR / "sms"))

    def send_messages(self, messages: list[SmsMessage]) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        target = self.path / f"{timezone.localdate():%Y-%m-%d}.log"
        with target.open("a", encoding="utf-8") as stream:
            for message in messages:
                stream.write(f"{message.sent_at.isoformat()} SMS to {message.to}:\n")
                stream.write(f"{message.body}\n{'-' * 40}\n")
        return len(messages)


class LocmemSmsBackend(BaseSmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class BrevoSmsBackend(BaseSmsBackend):
    """Brevo's transactional SMS API: `POST /v3/transactionalSMS/sms`, key in `api-key`.

    Answers 201 with `{"reference", "messageId", "smsCount", "usedCredits",
    "remainingCredits"}`; errors carry `{"code", "message"}`. Temporary: timeouts, network
    errors, 402 (no credits left: the operator tops up), 429 and 5xx. Permanent: other 4xx
    (a malformed or refused number, a bad key).
    """

    TEMPORARY_STATUSES = {402, 408, 425, 429}

    def __init__(self, *, url=None, api_key=None, sender=None, timeout=None, webhook_url=None):
        self.url = url or settings.SMS_API_URL
        self.api_key = api_key if api_key is not None else settings.SMS_API_KEY
        self.sender = sender or settings.SMS_SENDER
        self.timeout = timeout or settings.SMS_TIMEOUT
        if webhook_url is None and settings.SMS_WEBHOOK_TOKEN:
            # Brevo reports replies (STOP), deliveries and bounces there.
            webhook_url = settings.SITE_URL + reverse(
                "workshops:sms_webhook", args=[settings.SMS_WEBHOOK_TOKEN]
            )
        self.webhook_url = webhook_url

    def payload(self, message: SmsMessage) -> dict:
        body = {
            "sender": self.sender,
            # International format without the "+": 33612345678.
            "recipient": message.to.lstrip("+"),
            "content": message.body,
            "type": "transactional",
            "tag": "bus-numerique",
            "unicodeEnabled": False,
        }
        if self.webhook_url:
            body["webUrl"] = self.webhook_url
        return body

    def send(self, message: SmsMessage) -> str:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self.payload(message)).encode(),
            method="POST",
            headers={
                "accept": "application/json",
                "content-type": "application/json",
                "api-key": self.api_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = _json(response.read())
        except urllib.error.HTTPError as error:
            answer = _json(error.read())
            reason = f"{error.code} {answer.get('code', '')}: {answer.get('message', '')}".strip()
            temporary = error.code in self.TEMPORARY_STATUSES or error.code >= 500
            refused = error.code == 400 and "recipient" in str(answer.get("message", "")).lower()
            raise SmsError(reason, temporary=temporary, refused_number=refused) from error
        except TimeoutError as error:
            raise SmsError(f"timeout after {self.timeout} s", temporary=True) from error
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(f"network error: {error}", temporary=True) from error
        return str(answer.get("messageId", "") or answer.get("reference", ""))

    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            self.send(message)
        return len(messages)


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {"message": raw[:200].decode(errors="replace")}
    return value if isinstance(value, dict) else {}


def get_sms_backend(path: str | None = None, **kwargs) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)(**kwargs)


def send_sms(to: str, body: str) -> int:
    return get_sms_backend().send_messages([SmsMessage(to=to, body=body)])
