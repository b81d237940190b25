from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.services import exports_purge


class Command(BaseCommand):
    help = _(
        "Delete the files prepared for funders (activity exports, statistics workbooks, "
        "reports) asked for more than EXPORT_RETENTION_DAYS ago. Meant for the daily purge, "
        "after purge_personal_data."
    )

    def handle(self, *args, **options):
        count = exports_purge()
        self.stdout.write(
            ngettext(
                "%(count)d prepared file deleted (kept %(days)d days).",
                "%(count)d prepared files deleted (kept %(days)d days).",
                count,
            )
            % {"count": count, "days": settings.EXPORT_RETENTION_DAYS}
        )
