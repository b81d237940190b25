import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tablets.alerts import fleet_alerts
from tablets.models import OsMinimum, TabletStatus
from tablets.services import tablet_check_out, tablet_record_use
from tests.factories import make_coordinator, make_stop, make_tablet

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def tags(items) -> list[str]:
    return sorted(getattr(item, "tablet", item).asset_tag for item in items)


def test_a_tablet_used_by_a_resident_is_a_pending_reset_alert():
    used = make_tablet()
    make_tablet()
    tablet_record_use(tablet=used, used_at=timezone.now(), reference="r")

    assert tags(fleet_alerts().pending_resets) == [used.asset_tag]


def test_a_tablet_still_out_after_its_stop_day_is_not_returned():
    coordinator = make_coordinator()
    yesterday_stop = make_stop(date=TODAY - dt.timedelta(days=1))
    today_stop = make_stop(date=TODAY)
    forgotten, out_today = make_tablet(), make_tablet()
    tablet_check_out(tablet=forgotten, stop=yesterday_stop, by=coordinator)
    tablet_check_out(tablet=out_today, stop=today_stop, by=coordinator)

    assert tags(fleet_alerts().not_returned) == [forgotten.asset_tag]


def test_lost_tablets_are_alerted():
    lost = make_tablet(status=TabletStatus.LOST)
    make_tablet(status=TabletStatus.RETIRED)

    assert tags(fleet_alerts().lost) == [lost.asset_tag]


def test_a_warranty_ending_within_60_days_is_alerted():
    soon = make_tablet(warranty_end=TODAY + dt.timedelta(days=60))
    make_tablet(warranty_end=TODAY + dt.timedelta(days=61))
    make_tablet(warranty_end=TODAY - dt.timedelta(days=1))
    make_tablet(warranty_end=TODAY + dt.timedelta(days=10), status=TabletStatus.RETIRED)

    assert tags(fleet_alerts().warranty_ending) == [soon.asset_tag]


def test_an_os_older_than_the_fleet_minimum_is_alerted_comparing_versions_as_numbers():
    OsMinimum.objects.create(os_name="Android", minimum_version="13")
    OsMinimum.objects.create(os_name="iPadOS", minimum_version="17.4")
    old_android = make_tablet(os_name="Android", os_version="9")
    make_tablet(os_name="Android", os_version="14")
    make_tablet(os_name="Android", os_version="13.0")
    old_ipad = make_tablet(os_name="iPadOS", os_version="17.3.1")
    make_tablet(os_name="iPadOS", os_version="17.6")
    make_tablet(os_name="ChromeOS", os_version="1")

    assert tags(fleet_alerts().outdated_os) == sorted([old_android.asset_tag, old_ipad.asset_tag])


def populate(size: int) -> None:
    coordinator = make_coordinator(f"c{size}")
    stop = make_stop(date=TODAY - dt.timedelta(days=2))
    for number in range(size):
        tablet = make_tablet(os_version="9", warranty_end=TODAY + dt.timedelta(days=5))
        tablet_record_use(tablet=tablet, used_at=timezone.now(), reference=f"{size}-{number}")
        tablet_check_out(tablet=tablet, stop=stop, by=coordinator)
        make_tablet(status=TabletStatus.LOST)


def test_alerts_cost_one_query_per_kind_whatever_the_fleet_size():
    OsMinimum.objects.create(os_name="Android", minimum_version="13")
    populate(2)
    with CaptureQueriesContext(connection) as small:
        first = fleet_alerts()
    populate(10)
    with CaptureQueriesContext(connection) as large:
        second = fleet_alerts()

    assert len(small) == len(large) == 5
    assert (first.total, second.total) == (2 * 5, 12 * 5)


def test_the_alerts_page_lists_each_kind(client):
    make_tablet(status=TabletStatus.LOST)
    client.force_login(make_coordinator())

    response = client.get(reverse("tablets_admin:alerts"))

    assert response.status_code == 200
    for section in (
        "alert-pending-resets",
        "alert-not-returned",
        "alert-lost",
        "alert-warranty-ending",
        "alert-outdated-os",
    ):
        assert f'id="{section}"'.encode() in response.content
    assert b'id="alert-lost" data-count="1"' in response.content


def test_the_alerts_page_heads_each_kind_one_level_below_its_title_and_says_since_when():
    """A screen reader's list of headings reads the page's title, then each kind of alert
    (not a level skipped); a tablet awaiting its reset says since when, so Claire knows which
    stop's residents it holds."""
    import re

    from django.test import Client

    used = make_tablet()
    tablet_record_use(
        tablet=used,
        used_at=dt.datetime(2026, 11, 19, 9, 30, tzinfo=dt.UTC),
        reference="jeanine-caf",
    )
    client = Client()
    client.force_login(make_coordinator())

    page = client.get(reverse("tablets_admin:alerts")).content.decode()
    body = page.split('id="fleet-alerts"', 1)[1]

    assert set(re.findall(r"<h(\d)", body)) == {"2"}
    item = re.search(r'id="alert-pending-resets".*?<li>(.*?)</li>', body, re.S).group(1)
    assert "depuis le jeudi 19 novembre 2026, 10\u00a0h\u00a030" in item

    panel = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = panel.split('id="tablet-alerts-panel"', 1)[1].split("</section>\n", 1)[0]
    assert re.findall(r"<h(\d)", panel)[0] == "2"
