"""Outbound SMS through a pluggable backend, in the manner of Django's e-mail backends.

`settings.SMS_BACKEND` names the class: the console backend prints messages (development),
the file backend writes them to `settings.SMS_FILE_PATH`, the locmem backend keeps them in
`sessions.sms.outbox` (tests). A real provider is one more subclass of `BaseSmsBackend`.
"""

import datetime as dt
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass
class SmsMessage:
    to: str
    body: str
    sent_at: dt.datetime = field(default_factory=timezone.now)


# Filled by LocmemSmsBackend; tests empty it between runs.
outbox: list[SmsMessage] = []


class BaseSmsBackend:
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


def get_sms_backend(path: str | None = None, **kwargs) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)(**kwargs)


def send_sms(to: str, body: str) -> int:
    return get_sms_backend().send_messages([SmsMessage(to=to, body=body)])
