from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mediation.backups import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = _(
        "Back up the database and the media files into one archive, then delete the archives "
        "older than PERSONAL_DATA_RETENTION_DAYS (for a daily timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help=_("Folder of the archives (default: the BACKUP_DIR setting)."),
        )

    def handle(self, *args, output_dir: Path | None, **options):
        directory = output_dir or settings.BACKUP_DIR
        try:
            archive = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size_mb = archive.path.stat().st_size / 1_000_000
        self.stdout.write(
            _("Backup written: %(path)s (%(size).1f MB, %(media)d media files)")
            % {"path": archive.path, "size": size_mb, "media": archive.media_files}
        )
        for path in backups_prune(
            directory=directory, keep_days=settings.PERSONAL_DATA_RETENTION_DAYS
        ):
            self.stdout.write(
                _("Deleted, older than the retention period: %(name)s") % {"name": path.name}
            )
