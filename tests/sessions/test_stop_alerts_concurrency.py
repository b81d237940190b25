"""A stop announced by several workers at once (the back-office save and the cron command
overlapping) still reaches each alert once, on real PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mediation.models import Stop
from sessions import sms
from sessions.alerts import stop_alerts_send
from sessions.demand_models import StopAlert
from tests.factories import make_commune, make_stop
from tests.postgresql import postgresql_only
from tests.sessions.test_concurrency import run_in_threads

pytestmark = [
    *postgresql_only("Concurrency is proven on PostgreSQL (CI runs it there)"),
    pytest.mark.django_db(transaction=True),
]
WORKERS = 8
ALERTS = 5


def test_eight_workers_announcing_the_same_stop_send_one_message_per_alert():
    home = make_commune(latitude=Decimal("50.00000"), longitude=Decimal("2.30000"))
    confirmed = timezone.now() - dt.timedelta(hours=1)
    for number in range(ALERTS):
        StopAlert.objects.create(
            commune=home,
            radius_km=20,
            phone=f"+3361234567{number}",
            consent_at=confirmed,
            confirmed_at=confirmed,
        )
    stop = make_stop(
        commune=make_commune(latitude=Decimal("49.95000"), longitude=Decimal("2.30000")),
        date=timezone.localdate() + dt.timedelta(days=7),
    )
    sms.outbox.clear()

    def announce():
        return str(stop_alerts_send(stop=Stop(pk=stop.pk)))

    results = run_in_threads([announce] * WORKERS)

    assert sum(int(count) for count, times in results.items() for _ in range(times)) == ALERTS
    assert sorted(message.to for message in sms.outbox) == sorted(
        StopAlert.objects.values_list("phone", flat=True)
    )
