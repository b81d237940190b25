"""What the coordinator must act on, one query per kind of alert whatever the fleet's size."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from tablets.models import OsMinimum, Tablet, TabletCheckout, TabletStatus, version_key

WARRANTY_WARNING_DAYS = 60


@dataclass
class FleetAlerts:
    pending_resets: list[Tablet] = field(default_factory=list)
    not_returned: list[TabletCheckout] = field(default_factory=list)
    lost: list[Tablet] = field(default_factory=list)
    warranty_ending: list[Tablet] = field(default_factory=list)
    outdated_os: list[Tablet] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(items)
            for items in (
                self.pending_resets,
                self.not_returned,
                self.lost,
                self.warranty_ending,
                self.outdated_os,
            )
        )


def outdated_os_tablets() -> list[Tablet]:
    """Active tablets whose OS is older than the fleet minimum for that OS name.

    Versions compare numerically ("9" < "14"), which SQL on strings cannot do, so the
    minimum comes along in the same query and the comparison happens here.
    """
    minimum = OsMinimum.objects.filter(os_name__iexact=OuterRef("os_name")).values(
        "minimum_version"
    )[:1]
    tablets = (
        Tablet.objects.active()
        .annotate(os_minimum=Subquery(minimum))
        .filter(os_minimum__isnull=False)
    )
    return [t for t in tablets if version_key(t.os_version) < version_key(t.os_minimum)]


def fleet_alerts(*, today: dt.date | None = None) -> FleetAlerts:
    today = today or timezone.localdate()
    return FleetAlerts(
        pending_resets=list(Tablet.objects.exclude(status=TabletStatus.RETIRED).awaiting_reset()),
        not_returned=list(
            TabletCheckout.objects.not_returned(today=today).select_related(
                "tablet", "stop__commune"
            )
        ),
        lost=list(Tablet.objects.filter(status=TabletStatus.LOST)),
        warranty_ending=list(
            Tablet.objects.warranty_ending(today=today, within_days=WARRANTY_WARNING_DAYS)
        ),
        outdated_os=outdated_os_tablets(),
    )
