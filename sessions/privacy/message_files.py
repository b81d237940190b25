"""Messages that the file backends wrote to disk: found, exported and wiped by recipient.

The file SMS backend (settings.SMS_FILE_PATH) and Django's file e-mail backend (the folder
EMAIL_FILE_PATH names: mediation.mail.mail_file_path) keep every message they "send",
recipient and body included. Both folders are read whatever backend is configured now: a
folder left by an earlier setting still holds people's messages. A message belongs to a
person when it is addressed to one of their contacts (a message names no one else), so
nothing of another resident is exported.
"""

import datetime as dt
import email
import email.policy
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mediation.mail import mail_file_path
from sessions.contacts import display_phone

SMS_SEPARATOR = "-" * 40 + "\n"
EMAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def contact_variants(*, phones: Iterable[str] = (), emails: Iterable[str] = ()) -> set[str]:
    """The ways a contact can be written in a message: +33612345678, 06 12 34 56 78…"""
    variants = set()
    for phone in phones:
        if phone:
            shown = display_phone(phone)
            variants |= {phone, shown, shown.replace(" ", "")}
    variants |= {address.lower() for address in emails if address}
    return {variant for variant in variants if variant}


@dataclass
class StoredMessage:
    path: Path
    text: str  # readable: headers and body decoded


class _Store:
    separator: str | bytes

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(path for path in self.folder.glob("*.log") if path.is_file())

    def _read_chunks(self, path: Path) -> list:
        raise NotImplementedError

    def _readable(self, chunk) -> str:
        raise NotImplementedError

    def _write_chunks(self, path: Path, chunks: list) -> None:
        raise NotImplementedError

    def messages(self) -> Iterator[StoredMessage]:
        for path in self.files():
            for chunk in self._read_chunks(path):
                yield StoredMessage(path, self._readable(chunk))

    def find(self, variants: set[str]) -> list[StoredMessage]:
        return [message for message in self.messages() if _mentions(message.text, variants)]

    def remove(self, variants: set[str]) -> int:
        """Remove every message mentioning one of the variants; returns how many."""
        removed = 0
        for path in self.files():
            chunks = self._read_chunks(path)
            kept = [chunk for chunk in chunks if not _mentions(self._readable(chunk), variants)]
            if len(kept) == len(chunks):
                continue
            removed += len(chunks) - len(kept)
            if kept:
                self._write_chunks(path, kept)
            else:
                path.unlink()
        return removed

    def remove_files_older_than(self, moment: dt.datetime) -> int:
        """Delete the files last written before `moment`; returns how many."""
        limit = moment.timestamp()
        old = [path for path in self.files() if path.stat().st_mtime < limit]
        for path in old:
            path.unlink()
        return len(old)


def _mentions(text: str, variants: set[str]) -> bool:
    lowered = text.lower()
    return any(variant.lower() in lowered for variant in variants)


class SmsFileStore(_Store):
    def _read_chunks(self, path: Path) -> list[str]:
        content = path.read_text(encoding="utf-8", errors="replace")
        return [chunk + SMS_SEPARATOR for chunk in content.split(SMS_SEPARATOR) if chunk.strip()]

    def _readable(self, chunk: str) -> str:
        return chunk

    def _write_chunks(self, path: Path, chunks: list[str]) -> None:
        _replace_file(path, "".join(chunks).encode("utf-8"))


class EmailFileStore(_Store):
    def _read_chunks(self, path: Path) -> list[bytes]:
        content = path.read_bytes()
        return [
            chunk + EMAIL_SEPARATOR for chunk in content.split(EMAIL_SEPARATOR) if chunk.strip()
        ]

    def _readable(self, chunk: bytes) -> str:
        # Headers may be RFC 2047-encoded and bodies quoted-printable: search the decoded text.
        message = email.message_from_bytes(chunk, policy=email.policy.default)
        parts = [f"{name}: {value}" for name, value in message.items()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                try:
                    parts.append(part.get_content())
                except (LookupError, ValueError):
                    parts.append(part.get_payload())
        return "\n".join(parts)

    def _write_chunks(self, path: Path, chunks: list[bytes]) -> None:
        _replace_file(path, b"".join(chunks))


def _replace_file(path: Path, content: bytes) -> None:
    # Written beside, then renamed over: a crash never leaves half a file.
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def message_stores() -> list[_Store]:
    stores: list[_Store] = []
    if sms_path := getattr(settings, "SMS_FILE_PATH", None):
        stores.append(SmsFileStore(sms_path))
    if email_path := mail_file_path():
        stores.append(EmailFileStore(email_path))
    return stores


def message_files_find(variants: set[str]) -> list[StoredMessage]:
    return [message for store in message_stores() for message in store.find(variants)]


def message_files_remove(variants: set[str]) -> int:
    if not variants:
        return 0
    return sum(store.remove(variants) for store in message_stores())


def message_files_expire(*, retention_days: int, now: dt.datetime | None = None) -> int:
    moment = (now or timezone.now()) - dt.timedelta(days=retention_days)
    return sum(store.remove_files_older_than(moment) for store in message_stores())
