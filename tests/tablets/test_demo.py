import datetime as dt

import pytest
from django.utils import timezone

from tablets.alerts import fleet_alerts
from tablets.demo import seed_tablets
from tablets.models import MaintenanceRecord, Tablet, TabletStatus, TabletUse

pytestmark = pytest.mark.django_db


def test_the_demo_fleet_shows_each_interesting_state():
    seed_tablets()

    assert Tablet.objects.filter(status=TabletStatus.IN_REPAIR).exists()
    assert Tablet.objects.awaiting_reset().exists()
    assert MaintenanceRecord.objects.exists()
    alerts = fleet_alerts()
    assert alerts.pending_resets and alerts.warranty_ending and alerts.outdated_os
    soon = timezone.localdate() + dt.timedelta(days=60)
    assert all(t.warranty_end <= soon for t in alerts.warranty_ending)


def test_seeding_the_demo_fleet_twice_duplicates_nothing():
    assert seed_tablets() == 6
    counts = (Tablet.objects.count(), TabletUse.objects.count(), MaintenanceRecord.objects.count())

    assert seed_tablets() == 0
    assert (
        Tablet.objects.count(),
        TabletUse.objects.count(),
        MaintenanceRecord.objects.count(),
    ) == counts
