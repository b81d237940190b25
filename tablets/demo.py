"""A handful of demo tablets."""

from tablets.models import Tablet

DEMO_TABLETS = [
    ("TAB-001", "R58N10AAA01", "Samsung", "Galaxy Tab A9+", "Android", "14"),
    ("TAB-002", "R58N10AAA02", "Samsung", "Galaxy Tab A9+", "Android", "14"),
    ("TAB-003", "R58N10AAA03", "Samsung", "Galaxy Tab A9+", "Android", "14"),
    ("TAB-004", "DMPXK1234567", "Apple", "iPad (9e génération)", "iPadOS", "17.6"),
    ("TAB-005", "R52M20BBB05", "Samsung", "Galaxy Tab A8", "Android", "12"),
    ("TAB-006", "R52M20BBB06", "Samsung", "Galaxy Tab A8", "Android", "13"),
]


def seed_tablets() -> int:
    created = 0
    for asset_tag, serial, make, model_name, os_name, os_version in DEMO_TABLETS:
        _, was_created = Tablet.objects.get_or_create(
            asset_tag=asset_tag,
            defaults={
                "serial_number": serial,
                "make": make,
                "model_name": model_name,
                "os_name": os_name,
                "os_version": os_version,
            },
        )
        created += was_created
    return created
