from django.core.management.base import BaseCommand

from sessions.alerts import stop_alerts_send_due


class Command(BaseCommand):
    help = (
        'For cron (e.g. hourly): announces to the "Prévenez-moi" alerts the stops published '
        "in the last two weeks that they have not heard of (stops saved in the back office "
        "are announced at once; this catches the others). Never sends one twice."
    )

    def handle(self, *args, **options):
        count = stop_alerts_send_due()
        self.stdout.write(f"{count} stop alert(s) sent.")
