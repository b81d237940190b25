from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.services import reminders_send


class Command(BaseCommand):
    help = _(
        "Queue the reminders due two days and one day before each workshop (the task worker "
        "sends them). Meant for cron (for example every hour): a reminder already queued is "
        "never queued again, even by two runs at once."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(
            ngettext("%(count)d reminder queued.", "%(count)d reminders queued.", sent)
            % {"count": sent}
        )
