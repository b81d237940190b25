from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mediation.services import DEFAULT_COMMUNES_CSV, CommuneImportError, communes_import


class Command(BaseCommand):
    help = _("Import communes and intercommunalities from a CSV file (the Somme's by default).")

    def add_arguments(self, parser):
        parser.add_argument(
            "csv_path",
            nargs="?",
            type=Path,
            default=DEFAULT_COMMUNES_CSV,
            help=_(
                "CSV with insee_code, name, postal_codes, population, latitude, longitude, "
                "epci_code, epci_name"
            ),
        )

    def handle(self, *args, csv_path: Path, **options):
        try:
            report = communes_import(path=csv_path)
        except CommuneImportError as error:
            raise CommandError(_("Import cancelled, nothing was changed. %s") % error) from None
        if not report.changed_anything:
            self.stdout.write(
                _("Nothing to change: the %d communes are already up to date.") % report.unchanged
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Communes: %(created)d created, %(updated)d updated, %(unchanged)d unchanged. "
                    "Intercommunalities: %(epci_created)d created, %(epci_updated)d updated."
                )
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "epci_created": report.epci_created,
                    "epci_updated": report.epci_updated,
                }
            )
        )
