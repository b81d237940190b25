from django.core.management.base import BaseCommand

from sessions.messaging import messages_requeue_due


class Command(BaseCommand):
    help = (
        "Queue again the messages that are due and have no task: retries when the task "
        "backend cannot defer, tasks lost while the queue was down, claims of a worker that "
        "died. Meant for cron (every few minutes); never sends a message twice."
    )

    def handle(self, *args, **options):
        count = messages_requeue_due()
        self.stdout.write(f"{count} message(s) queued again.")
