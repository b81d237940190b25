from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mediation.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Restore the database and the media files from an archive made by `backup`, replacing "
        "the current data. Stop the site and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help=_("A mediation-backup-….tar.gz file."))
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=_("Do not ask for confirmation."),
        )

    def handle(self, *args, archive: Path, interactive: bool, **options):
        if interactive:
            answer = input(
                _("Replace the database and the media with %(name)s? [y/N] ")
                % {"name": archive.name}
            )
            if answer.strip().lower() not in {"y", "yes", "o", "oui"}:
                raise CommandError(_("Restore cancelled."))
        try:
            restored = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored %(name)s: the database and %(media)d media files")
            % {"name": archive.name, "media": restored.media_files}
        )
