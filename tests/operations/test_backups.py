"""One command backs up the database and the media, one restores them; old archives go."""

import datetime as dt
import re
import stat
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from mediation.backups import PREFIX, SUFFIX, backups_prune
from mediation.models import PARIS, Branding
from sessions.links import personal_link
from tablets.models import Tablet
from tests.factories import make_commune, make_image, make_registration, make_stop, make_workshop

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


def without_csrf_tokens(html: str) -> str:
    """The page without what changes at every request: CSRF tokens and the CSP nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def empty_the_database() -> None:
    """What a new server has before the restore: a database with no table at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            # Dropping a full-text index drops its shadow tables with it.
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    assert connection.introspection.table_names() == []


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_brings_everything_back(
    client, media, tmp_path, settings, root_collection
):
    with time_machine.travel(NOW, tick=False):
        branding = Branding.load()
        branding.logo = make_image()
        branding.save()
        village = make_commune(name="Brayville-sur-Test", slug="brayville-sur-test")
        stop = make_stop(commune=village, date=NOW.date() + dt.timedelta(days=7))
        registration = make_registration(
            workshop=make_workshop(stop=stop), first_name="Martine", last_name="Leroy"
        )
        Tablet.objects.create(asset_tag="TAB-01", serial_number="SN-1", model_name="Galaxy Tab A9")
        Tablet.objects.create(asset_tag="TAB-02", serial_number="SN-2", model_name="Galaxy Tab A9")
        link = personal_link(registration).path

        commune_page = without_csrf_tokens(
            client.get("/communes/brayville-sur-test/").content.decode()
        )
        registration_page = without_csrf_tokens(client.get(link).content.decode())
        assert "Martine" in registration_page
        fleet = list(Tablet.objects.order_by("pk").values())
        logo_name = branding.logo.file.name
        logo_bytes = default_storage.open(logo_name).read()

        out = StringIO()
        call_command("backup", output_dir=tmp_path / "backups", stdout=out)
        (archive,) = (tmp_path / "backups").glob(f"{PREFIX}*{SUFFIX}")
        assert f"Sauvegarde écrite\u00a0: {archive}" in out.getvalue()
        # Residents' data inside: readable by its owner only.
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600

        empty_the_database()
        default_storage.delete(logo_name)

        call_command("restore", str(archive), interactive=False, stdout=StringIO())

        restored_page = client.get("/communes/brayville-sur-test/").content.decode()
        assert without_csrf_tokens(restored_page) == commune_page
        assert without_csrf_tokens(client.get(link).content.decode()) == registration_page
        assert list(Tablet.objects.order_by("pk").values()) == fleet
        assert default_storage.open(logo_name).read() == logo_bytes


def make_archive(directory, when: dt.datetime):
    path = directory / f"{PREFIX}{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"
    path.write_bytes(b"")
    return path


def test_archives_older_than_the_personal_data_retention_are_deleted(tmp_path):
    now = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
    too_old = make_archive(tmp_path, now - dt.timedelta(days=91))
    just_kept = make_archive(tmp_path, now - dt.timedelta(days=89))
    today = make_archive(tmp_path, now)
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("kept")
    deleted = backups_prune(directory=tmp_path, keep_days=90, now=now)
    assert deleted == [too_old]
    assert {p.name for p in tmp_path.iterdir()} == {just_kept.name, today.name, "notes.txt"}


@pytest.mark.django_db(transaction=True)
def test_the_daily_backup_removes_what_the_purge_would_have_removed(tmp_path, settings, media):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old = make_archive(tmp_path, dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
    out = StringIO()
    call_command("backup", output_dir=tmp_path, stdout=out)
    assert not old.exists()
    assert f"Supprimée, plus ancienne que la durée de conservation\u00a0: {old.name}" in (
        out.getvalue()
    )
    assert len(list(tmp_path.glob(f"{PREFIX}*{SUFFIX}"))) == 1


def test_restoring_a_missing_archive_fails_with_a_clear_message(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucune sauvegarde à"):
        call_command("restore", str(tmp_path / "none.tar.gz"), interactive=False)
