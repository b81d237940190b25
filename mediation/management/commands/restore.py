from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mediation.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and the media files from an archive made by `backup`, replacing "
        "the current data. Stop the site and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A mediation-backup-….tar.gz file.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, archive: Path, interactive: bool, **options):
        if interactive:
            answer = input(f"Replace the database and the media with {archive.name}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "o", "oui"}:
                raise CommandError("Restore cancelled.")
        try:
            restored = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive.name}: the database and {restored.media_files} media files"
        )
