"""Small builders for test data, with sensible defaults that each test overrides as it needs."""

import datetime as dt
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from mediation.models import Commune, Epci, ModuleOutcome, Stop, StopStatus, TutorialModule
from mediation.roles import COORDINATORS, MEDIATORS, ensure_staff_groups
from sessions.models import Registration, Workshop
from tablets.models import Tablet

_numbers = count(1)


def png_upload(name: str, *, size=(300, 120), colour="#00527a"):
    """A PNG of one colour, as a file a coordinator would upload."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage

    data = BytesIO()
    PillowImage.new("RGB", size, colour).save(data, "PNG")
    return ImageFile(data, name=name)


def make_image(name: str = "logo.png", *, size=(300, 120), colour="#00527a", title="Logo"):
    """A Wagtail image of a one-colour PNG, stored under MEDIA_ROOT (set it to a temporary
    folder), in the root collection (made if the database has none)."""
    from wagtail.images.models import Image
    from wagtail.models import Collection

    Collection.get_first_root_node() or Collection.add_root(name="Root")
    return Image.objects.create(
        title=title, file=png_upload(name, size=size, colour=colour), width=size[0], height=size[1]
    )


def make_epci(**overrides) -> Epci:
    number = next(_numbers)
    values = {"code": f"{200000000 + number}", "name": f"CC Test {number}", "slug": f"cc-{number}"}
    return Epci.objects.create(**(values | overrides))


def make_commune(**overrides) -> Commune:
    number = next(_numbers)
    values = {
        "insee_code": f"{99000 + number % 1000:05d}",
        "name": f"Commune {number}",
        "slug": f"commune-{number}",
        "postal_codes": "80000",
        "population": 500,
        "latitude": Decimal("49.90000"),
        "longitude": Decimal("2.30000"),
    } | overrides
    commune = Commune(**values)
    commune.refresh_search_name()
    commune.save()
    return commune


def make_module(**overrides) -> TutorialModule:
    number = next(_numbers)
    outcomes = overrides.pop("outcomes", ["Compte créé"])
    values = {
        "title": f"Module {number}",
        "slug": f"module-{number}",
        "goal": "Apprendre.",
        "documents_to_bring": "Une pièce d'identité",
    } | overrides
    module = TutorialModule.objects.create(**values)
    for order, label in enumerate(outcomes):
        ModuleOutcome.objects.create(module=module, label=label, sort_order=order)
    return module


def make_stop(**overrides) -> Stop:
    values = {
        "date": timezone.localdate() + dt.timedelta(days=7),
        "start_time": dt.time(9, 30),
        "end_time": dt.time(12, 30),
        "place_name": "Place de la mairie",
        "status": StopStatus.CONFIRMED,
    } | overrides
    if "commune" not in values:
        values["commune"] = make_commune()
    return Stop.objects.create(**values)


def stop_edit_form(stop: Stop, **changes) -> dict:
    """A stop's back-office edit form as posted back, with `changes`."""
    return {
        "commune": stop.commune_id,
        "date": stop.date.isoformat(),
        "start_time": stop.start_time.strftime("%H:%M"),
        "end_time": stop.end_time.strftime("%H:%M"),
        "place_name": stop.place_name,
        "address": stop.address,
        "directions": "",
        "latitude": "",
        "longitude": "",
        "status": stop.status,
        "cancellation_reason": "",
    } | changes


def make_workshop(**overrides) -> Workshop:
    values = {"start_time": dt.time(9, 30), "end_time": dt.time(11, 0), "capacity": 8} | overrides
    if "stop" not in values:
        values["stop"] = make_stop()
    if "module" not in values:
        values["module"] = make_module()
    return Workshop.objects.create(**values)


def make_registration(**overrides) -> Registration:
    # A distinct phone each time: a person may register only once per workshop with a phone.
    phone = f"+336{12000000 + next(_numbers):08d}"
    values = {"first_name": "Jeanine", "last_name": "Dupont", "phone": phone} | overrides
    if "workshop" not in values:
        values["workshop"] = make_workshop()
    return Registration.objects.create(**values)


def make_user(username: str, *, group: str | None = None, **overrides):
    user = get_user_model().objects.create_user(
        username=username, password="pass", is_staff=group is not None, **overrides
    )
    if group:
        ensure_staff_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


def make_coordinator(username: str = "claire"):
    return make_user(username, group=COORDINATORS)


def make_mediator(username: str = "ines"):
    return make_user(username, group=MEDIATORS)


_tablet_numbers = count(1)


def make_tablet(**overrides) -> Tablet:
    number = next(_tablet_numbers)
    values = {
        "asset_tag": f"TST-{number:03d}",
        "serial_number": f"SN-TEST-{number:05d}",
        "make": "Samsung",
        "model_name": "Galaxy Tab A9+",
        "os_name": "Android",
        "os_version": "14",
    } | overrides
    return Tablet.objects.create(**values)
