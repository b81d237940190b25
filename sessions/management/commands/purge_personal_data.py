from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.alerts import stop_alerts_purge
from sessions.bus_requests import bus_requests_purge
from sessions.privacy.services import personal_data_purge
from sessions.refusals import REFUSED_RECORD_DAYS, refused_records_purge


class Command(BaseCommand):
    help = _(
        "Anonymise the registrations of workshops that ended more than "
        "PERSONAL_DATA_RETENTION_DAYS ago: names, phone, e-mail and needs are wiped, the "
        "figures stay. Deletes stop alerts a year old (unconfirmed ones after two days) and "
        "wipes the contact details of requests for a visit a year old, and the tablets' "
        "refused records a month old. Meant for a daily cron."
    )

    def handle(self, *args, **options):
        count = personal_data_purge()
        self.stdout.write(
            ngettext(
                "%(count)d registration anonymised (retention: %(days)d days).",
                "%(count)d registrations anonymised (retention: %(days)d days).",
                count,
            )
            % {"count": count, "days": settings.PERSONAL_DATA_RETENTION_DAYS}
        )
        alerts = stop_alerts_purge()
        self.stdout.write(
            ngettext("%(count)d stop alert deleted.", "%(count)d stop alerts deleted.", alerts)
            % {"count": alerts}
        )
        requests = bus_requests_purge()
        self.stdout.write(
            ngettext(
                "%(count)d request for a visit anonymised.",
                "%(count)d requests for a visit anonymised.",
                requests,
            )
            % {"count": requests}
        )
        refused = refused_records_purge()
        self.stdout.write(
            ngettext(
                "%(count)d refused tablet record deleted (kept %(days)d days).",
                "%(count)d refused tablet records deleted (kept %(days)d days).",
                refused,
            )
            % {"count": refused, "days": REFUSED_RECORD_DAYS}
        )
