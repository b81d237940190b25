from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from sessions.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders due two days and one day before each workshop. Meant for cron "
        "(for example every hour): a reminder already sent is never sent again."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(
            ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent)
            % {"count": sent}
        )
