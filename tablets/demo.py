"""Demo tablets in varied states. Idempotent: run it again and nothing is duplicated."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tablets.models import HolderKind, MaintenanceRecord, OsMinimum, Tablet, TabletStatus
from tablets.services import tablet_record_use

DEMO_TABLETS = [
    ("TAB-001", "R58N10AAA01", "Samsung", "Galaxy Tab A9+", "Android", "14"),
    ("TAB-002", "R58N10AAA02", "Samsung", "Galaxy Tab A9+", "Android", "14"),
    ("TAB-003", "R58N10AAA03", "Samsung", "Galaxy Tab A9+", "Android", "14"),
    ("TAB-004", "DMPXK1234567", "Apple", "iPad (9e génération)", "iPadOS", "17.6"),
    ("TAB-005", "R52M20BBB05", "Samsung", "Galaxy Tab A8", "Android", "12"),
    ("TAB-006", "R52M20BBB06", "Samsung", "Galaxy Tab A8", "Android", "13"),
]
OS_MINIMUMS = {"Android": "13", "iPadOS": "17"}
# The states that make the fleet screens and alerts worth looking at.
PENDING_RESET_TAG = "TAB-002"
WARRANTY_SOON_TAG = "TAB-003"
MEDIATOR_HELD_TAG = "TAB-004"
IN_REPAIR_TAG = "TAB-005"


@transaction.atomic
def seed_tablets() -> int:
    today = timezone.localdate()
    for os_name, minimum in OS_MINIMUMS.items():
        OsMinimum.objects.get_or_create(os_name=os_name, defaults={"minimum_version": minimum})
    mediator = get_user_model().objects.filter(username="mediatrice").first()
    created = 0
    for asset_tag, serial, make, model_name, os_name, os_version in DEMO_TABLETS:
        defaults = {
            "serial_number": serial,
            "make": make,
            "model_name": model_name,
            "os_name": os_name,
            "os_version": os_version,
            "purchase_date": today - dt.timedelta(days=700),
            "warranty_end": today + dt.timedelta(days=400),
            "holder_kind": HolderKind.VAN,
        }
        if asset_tag == WARRANTY_SOON_TAG:
            defaults["warranty_end"] = today + dt.timedelta(days=30)
        if asset_tag == IN_REPAIR_TAG:
            defaults |= {"status": TabletStatus.IN_REPAIR, "holder_kind": HolderKind.OFFICE}
        if asset_tag == MEDIATOR_HELD_TAG and mediator is not None:
            defaults |= {"holder_kind": HolderKind.MEDIATOR, "holder": mediator}
        tablet, was_created = Tablet.objects.get_or_create(asset_tag=asset_tag, defaults=defaults)
        created += was_created
        if was_created and asset_tag == IN_REPAIR_TAG:
            MaintenanceRecord.objects.create(
                tablet=tablet,
                reported_on=today - dt.timedelta(days=5),
                problem="Écran fissuré, le tactile ne répond plus en bas à droite.",
                repair="Envoyée chez le réparateur pour changement de la dalle.",
                cost=Decimal("89.00"),
            )
        if was_created and asset_tag == PENDING_RESET_TAG:
            tablet_record_use(
                tablet=tablet,
                used_at=timezone.now() - dt.timedelta(hours=2),
                reference=f"demo-{asset_tag}",
            )
    return created
