from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.alerts import stop_alerts_send_due


class Command(BaseCommand):
    help = _(
        'For cron (e.g. hourly): announces to the "Prévenez-moi" alerts the stops published '
        "in the last two weeks that they have not heard of (stops saved in the back office "
        "are announced at once; this catches the others). Never sends one twice."
    )

    def handle(self, *args, **options):
        count = stop_alerts_send_due()
        self.stdout.write(
            ngettext("%(count)d stop alert sent.", "%(count)d stop alerts sent.", count)
            % {"count": count}
        )
