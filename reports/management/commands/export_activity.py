import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mediation.models import Epci
from reports.activity import Period
from reports.exports import write_activity_csv, write_activity_xlsx, write_statistics_xlsx
from reports.statistics import figures_for


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Not a date (YYYY-MM-DD expected): %(value)r") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = _(
        "Write the activity export in the national report's columns (La Coop de la médiation "
        "numérique), or with --statistics the statistics workbook, for a period; meant for a "
        "monthly cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help=_("First day, YYYY-MM-DD"))
        parser.add_argument("--to", dest="end", required=True, help=_("Last day, YYYY-MM-DD"))
        parser.add_argument("--epci", help=_("Only this intercommunality (its slug)"))
        parser.add_argument(
            "--format", choices=["xlsx", "csv"], default="xlsx", help=_("File format")
        )
        parser.add_argument("--output", required=True, help=_("File to write"))
        parser.add_argument(
            "--statistics", action="store_true", help=_("The statistics workbook (XLSX only)")
        )

    def handle(self, *args, start, end, epci, format, output, statistics, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError(_("--to comes before --from"))
        epci_object = None
        if epci:
            epci_object = Epci.objects.filter(slug=epci).first()
            if epci_object is None:
                raise CommandError(_("No intercommunality with the slug %(slug)r") % {"slug": epci})
        period = Period(start, end, epci_object)
        if statistics:
            if format != "xlsx":
                raise CommandError(_("The statistics workbook exists in XLSX only"))
            write_statistics_xlsx(figures_for(period), output)
            self.stdout.write(_("Statistics written to %(output)s") % {"output": output})
            return
        if format == "csv":
            with open(output, "w", encoding="utf-8", newline="") as file:
                count = write_activity_csv(period, file)
        else:
            count = write_activity_xlsx(period, output)
        self.stdout.write(
            ngettext(
                "%(count)d row written to %(output)s", "%(count)d rows written to %(output)s", count
            )
            % {"count": count, "output": output}
        )
