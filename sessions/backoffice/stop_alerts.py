"""A stop saved in the back office is announced to the alerts near it ("Prévenez-moi")."""

from django.db import transaction

from mediation.models import Stop
from sessions.alerts import stop_alerts_send


def announce_a_published_stop(request, instance):
    """After a stop is created or edited: send it to the alerts near it, once each.

    Idempotent (a second save sends nothing); stops made elsewhere (series, imports) are
    caught by the `send_stop_alerts` cron command.
    """
    if isinstance(instance, Stop) and not instance.is_cancelled:
        transaction.on_commit(lambda: stop_alerts_send(stop=instance), robust=True)
