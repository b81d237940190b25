import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tablets.models import Tablet, TabletReset, TabletStatus, TabletStatusChange
from tablets.services import tablet_record_use
from tests.factories import make_coordinator, make_mediator, make_tablet, make_user

pytestmark = pytest.mark.django_db


def edit_payload(tablet, **overrides):
    return {
        "asset_tag": tablet.asset_tag,
        "serial_number": tablet.serial_number,
        "make": tablet.make,
        "model_name": tablet.model_name,
        "os_name": tablet.os_name,
        "os_version": tablet.os_version,
        "purchase_date": "",
        "warranty_end": "",
        "status": tablet.status,
        "holder_kind": tablet.holder_kind,
        "holder": "",
        "notes": "",
        "status_note": "",
    } | overrides


@pytest.fixture
def outsider(db):
    """Staff with admin access but no role in the fleet."""
    from django.contrib.auth.models import Permission

    user = make_user("olivier")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_a_mediator_sees_the_fleet_and_a_tablet_record(client, tablet):
    client.force_login(make_mediator())

    assert client.get(reverse("tablets_admin:list")).status_code == 200
    assert client.get(reverse("tablets_admin:detail", args=[tablet.pk])).status_code == 200
    assert client.get(reverse("tablets_admin:alerts")).status_code == 200


def test_a_mediator_cannot_edit_the_inventory(client, tablet):
    client.force_login(make_mediator())

    response = client.post(
        reverse("tablet_inventory:edit", args=[tablet.pk]), edit_payload(tablet, make="X")
    )

    tablet.refresh_from_db()
    assert_refused(response)
    assert tablet.make == "Samsung"
    assert_refused(client.get(reverse("tablet_inventory:add")))


def test_a_mediator_records_a_reset(client, tablet):
    mediator = make_mediator()
    tablet_record_use(tablet=tablet, used_at=timezone.now() - dt.timedelta(hours=1), reference="r")
    client.force_login(mediator)

    response = client.post(reverse("tablets_admin:reset", args=[tablet.pk]), {"note": "ok"})

    assert response.status_code == 302
    tablet.refresh_from_db()
    assert not tablet.needs_reset
    assert TabletReset.objects.get().by == mediator


def assert_refused(response):
    """Wagtail turns a PermissionDenied in the admin into a redirect to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def test_an_outsider_is_refused(client, tablet, outsider):
    client.force_login(outsider)

    assert_refused(client.get(reverse("tablets_admin:list")))
    assert_refused(client.get(reverse("tablets_admin:detail", args=[tablet.pk])))
    assert_refused(client.get(reverse("tablets_admin:export_csv")))
    assert_refused(client.get(reverse("tablets_admin:labels")))
    assert_refused(client.post(reverse("tablets_admin:reset", args=[tablet.pk])))
    assert not TabletReset.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, tablet):
    response = client.get(reverse("tablets_admin:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_coordinator_edits_the_inventory_and_the_status_goes_through_the_service(client, tablet):
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.post(
        reverse("tablet_inventory:edit", args=[tablet.pk]),
        edit_payload(tablet, os_version="15", status=TabletStatus.IN_REPAIR),
    )

    assert response.status_code == 302
    tablet.refresh_from_db()
    assert (tablet.os_version, tablet.status) == ("15", TabletStatus.IN_REPAIR)
    change = TabletStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by) == (
        TabletStatus.IN_SERVICE,
        TabletStatus.IN_REPAIR,
        coordinator,
    )


def test_the_admin_edit_refuses_a_forbidden_transition_and_loses_nothing(client):
    tablet = make_tablet(status=TabletStatus.RETIRED)
    client.force_login(make_coordinator())

    response = client.post(
        reverse("tablet_inventory:edit", args=[tablet.pk]),
        edit_payload(tablet, status=TabletStatus.IN_SERVICE, notes="keep me"),
    )

    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    tablet.refresh_from_db()
    assert tablet.status == TabletStatus.RETIRED
    assert not TabletStatusChange.objects.exists()


def test_the_admin_edit_requires_a_mediator_when_a_mediator_holds_it(client, tablet):
    client.force_login(make_coordinator())

    response = client.post(
        reverse("tablet_inventory:edit", args=[tablet.pk]),
        edit_payload(tablet, holder_kind="mediator"),
    )

    assert response.status_code == 200
    assert "holder" in response.context["form"].errors


def test_the_coordinator_dashboard_shows_the_fleet_alerts(client):
    make_tablet(status=TabletStatus.LOST)
    client.force_login(make_coordinator())

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert b'id="tablet-alerts-panel"' in response.content
    assert b'id="alert-lost" data-count="1"' in response.content


def test_a_mediator_dashboard_has_no_fleet_alerts_panel(client):
    client.force_login(make_mediator())

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert b'id="tablet-alerts-panel"' not in response.content


def test_a_coordinator_reaches_every_fleet_screen(client, tablet):
    client.force_login(make_coordinator())

    for url in (
        reverse("tablets_admin:list"),
        reverse("tablets_admin:detail", args=[tablet.pk]),
        reverse("tablet_inventory:index"),
        reverse("tablet_inventory:add"),
        reverse("tablet_inventory:edit", args=[tablet.pk]),
        reverse("tablet_maintenance:index"),
        reverse("tablet_maintenance:add"),
        reverse("tablet_os_minimums:index"),
    ):
        assert client.get(url).status_code == 200, url


def test_a_coordinator_adds_a_tablet(client):
    client.force_login(make_coordinator())

    response = client.post(
        reverse("tablet_inventory:add"),
        {
            "asset_tag": "TAB-100",
            "serial_number": "SN100",
            "make": "Lenovo",
            "model_name": "Tab M10",
            "os_name": "Android",
            "os_version": "13",
            "purchase_date": "2026-01-15",
            "warranty_end": "2028-01-15",
            "status": "in_service",
            "holder_kind": "office",
            "holder": "",
            "notes": "",
            "status_note": "",
        },
    )

    assert response.status_code == 302
    assert Tablet.objects.get(asset_tag="TAB-100").warranty_end.isoformat() == "2028-01-15"


def test_the_admin_edit_refuses_to_retire_a_tablet_awaiting_its_reset_and_says_why(client):
    tablet = make_tablet()
    tablet_record_use(tablet=tablet, used_at=timezone.now(), reference="jeanine-ameli")
    client.force_login(make_coordinator())

    response = client.post(
        reverse("tablet_inventory:edit", args=[tablet.pk]),
        edit_payload(tablet, status=TabletStatus.RETIRED, notes="keep me"),
    )

    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    tablet.refresh_from_db()
    assert tablet.status == TabletStatus.IN_SERVICE
    assert not TabletStatusChange.objects.exists()


def test_the_holder_is_chosen_among_the_staff_by_name(client, outsider):
    """Claire hands a tablet to Inès: she finds her by her name, among the staff only (not
    Olivier's account, who has no role in the van), and no "---------" in the lists."""
    make_mediator("ines").__class__.objects.filter(username="ines").update(
        first_name="Inès", last_name="Dubois"
    )
    tablet = make_tablet()
    client.force_login(make_coordinator())

    form = client.get(reverse("tablet_inventory:edit", args=[tablet.pk])).context["form"]

    holders = [label for value, label in form.fields["holder"].choices if value]
    assert "Inès Dubois" in holders and "olivier" not in holders
    page = client.get(reverse("tablet_inventory:edit", args=[tablet.pk])).content.decode()
    assert "---------" not in page


def test_the_tablet_record_tells_ines_what_a_reset_is_and_reads_its_history_in_french(
    client, tablet
):
    """ "Tablette réinitialisée" is a promise that the last resident's accounts are gone: the
    form says what to do before pressing it. The history reads dates as French does, names
    who did it, and an empty history says so instead of a list holding a dash."""
    import re

    from django.contrib.auth import get_user_model

    ines = make_mediator()
    get_user_model().objects.filter(pk=ines.pk).update(first_name="Inès", last_name="Dubois")
    client.force_login(ines)
    page = client.get(reverse("tablets_admin:detail", args=[tablet.pk])).content.decode()

    form = page.split('id="reset-form"', 1)[1].split("</form>", 1)[0]
    assert 'id="reset-checklist"' in form
    assert form.index('id="reset-checklist"') < form.index('type="submit"')
    assert not re.search(r"<li>\s*—\s*</li>", page)

    client.post(reverse("tablets_admin:reset", args=[tablet.pk]), {"factory_reset": "on"})
    page = client.get(reverse("tablets_admin:detail", args=[tablet.pk])).content.decode()
    resets = page.split('id="recent-resets"', 1)[1].split("</ul>", 1)[0]
    assert "Inès Dubois" in resets
    assert re.search(r"\d{4}, \d+\u00a0h", resets)
