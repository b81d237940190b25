from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.messaging import messages_requeue_due


class Command(BaseCommand):
    help = _(
        "Queue again the messages that are due and have no task: retries when the task "
        "backend cannot defer, tasks lost while the queue was down, claims of a worker that "
        "died. Meant for cron (every few minutes); never sends a message twice."
    )

    def handle(self, *args, **options):
        count = messages_requeue_due()
        self.stdout.write(
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count}
        )
