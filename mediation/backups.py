"""Backups: the database and the media files in one archive, restored by one command.

An archive is a `.tar.gz` holding `database.pgdump` (pg_dump's custom format) or
`database.sqlite3`, and the media files under `media/`, read through the storage API (on disk
or in a bucket alike). It is written under a temporary name and renamed when complete, so a
crash never leaves a truncated archive that looks like a good one. Archives hold residents'
personal data: they are readable by their owner only, and deleted once older than
PERSONAL_DATA_RETENTION_DAYS, so that no backup outlives the purge.
"""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

PREFIX = "mediation-backup-"
SUFFIX = ".tar.gz"
STAMP = "%Y%m%dT%H%M%SZ"
MEDIA_FOLDER = "media/"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"


class BackupError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class BackupArchive:
    path: Path
    created_at: dt.datetime
    media_files: int


def backup_create(*, directory: Path, now: dt.datetime | None = None) -> BackupArchive:
    """Write one archive of the database and the media into `directory`."""
    now = now or timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"{PREFIX}{now.astimezone(dt.UTC):{STAMP}}{SUFFIX}"
    partial = archive.with_name(archive.name + ".partial")
    media_files = 0
    with tempfile.TemporaryDirectory() as work:
        dump = _dump_database(Path(work))
        with _private_file(partial), tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            for name in _storage_files(default_storage):
                with default_storage.open(name, "rb") as file:
                    info = tarfile.TarInfo(MEDIA_FOLDER + name)
                    info.size = default_storage.size(name)
                    tar.addfile(info, file)
                media_files += 1
    os.replace(partial, archive)
    return BackupArchive(path=archive, created_at=now, media_files=media_files)


def backup_restore(*, archive: Path) -> BackupArchive:
    """Put the archive's database and media back, replacing what is there."""
    if not archive.is_file():
        raise BackupError("missing", _("No backup at %(path)s") % {"path": archive})
    media_files = 0
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        dump_name = PG_DUMP if connection.vendor == "postgresql" else SQLITE_DUMP
        if dump_name not in names:
            raise BackupError(
                "wrong_database",
                _("%(archive)s holds no %(dump)s: it was made from another kind of database")
                % {"archive": archive.name, "dump": dump_name},
            )
        tar.extract(dump_name, work, filter="data")
        _load_database(Path(work) / dump_name)
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(MEDIA_FOLDER):
                continue
            name = member.name.removeprefix(MEDIA_FOLDER)
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(tar.extractfile(member)))
            if saved != name:
                raise BackupError(
                    "media_name",
                    _("%(name)s was restored as %(saved)s") % {"name": name, "saved": saved},
                )
            media_files += 1
    return BackupArchive(path=archive, created_at=archive_time(archive), media_files=media_files)


def backups_prune(*, directory: Path, keep_days: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete the archives made more than `keep_days` ago; the deleted paths."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    deleted = []
    for path in sorted(directory.glob(f"{PREFIX}*{SUFFIX}")):
        created = archive_time(path)
        if created is not None and created < cutoff:
            path.unlink()
            deleted.append(path)
    return deleted


def archive_time(path: Path) -> dt.datetime | None:
    """When an archive was made, from its name (file times change when files are copied)."""
    stamp = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        return dt.datetime.strptime(stamp, STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _storage_files(storage: Storage, folder: str = "") -> list[str]:
    folders, files = storage.listdir(folder) if _exists(storage, folder) else ([], [])
    names = [f"{folder}{name}" for name in sorted(files)]
    for sub in sorted(folders):
        names += _storage_files(storage, f"{folder}{sub}/")
    return names


def _exists(storage: Storage, folder: str) -> bool:
    if folder or not hasattr(storage, "location"):
        return True
    return Path(storage.location).is_dir()


class _private_file:  # noqa: N801 - used as a context manager, like open()
    """Create the file readable by its owner only, whatever the umask; remove it on failure."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.path.touch(mode=0o600)
        self.path.chmod(0o600)
        return self.path

    def __exit__(self, kind, error, traceback):
        if error is not None:
            self.path.unlink(missing_ok=True)
        return False


def _pg_environment() -> tuple[dict, str]:
    database = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env, database["NAME"]


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            "tool_missing",
            _("%(tool)s is not installed (postgresql-client)") % {"tool": command[0]},
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            "tool_failed",
            _("%(tool)s failed: %(error)s") % {"tool": command[0], "error": result.stderr.strip()},
        )


def _dump_database(work: Path) -> Path:
    if connection.vendor == "postgresql":
        target = work / PG_DUMP
        env, name = _pg_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                name,
            ],
            env,
        )
        return target
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup would wait for ever for the open transaction to end.
            raise BackupError("in_transaction", _("A backup cannot run inside a transaction"))
        target = work / SQLITE_DUMP
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            # SQLite's online backup: a consistent copy even while the site writes.
            connection.connection.backup(copy)
        copy.close()
        return target
    raise BackupError(
        "unsupported",
        _("Backups support PostgreSQL and SQLite, not %(vendor)s") % {"vendor": connection.vendor},
    )


def _load_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        env, name = _pg_environment()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={name}",
                str(dump),
            ],
            env,
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as source:
        source.backup(connection.connection)
    source.close()
