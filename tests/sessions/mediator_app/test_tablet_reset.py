"""The "tablet reset" action of the tablet app, and the picker that depends on it."""

import datetime as dt

import pytest
from django.utils import timezone

from tablets.models import TabletReset
from tablets.services import tablet_record_use
from tests.factories import make_stop, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def used_tablet(tablet):
    tablet_record_use(
        tablet=tablet,
        used_at=timezone.now() - dt.timedelta(minutes=30),
        reference="earlier-resident",
        stop=make_stop(),
    )
    return tablet


def reset_url(tablet) -> str:
    return f"/tablette/tablettes/{tablet.pk}/reinitialisee/"


def test_a_mediator_records_that_a_tablet_was_reset(client, mediator, used_tablet):
    client.force_login(mediator)

    response = client.post(reset_url(used_tablet), "{}", content_type="application/json")

    assert response.status_code == 200
    used_tablet.refresh_from_db()
    assert not used_tablet.needs_reset
    reset = TabletReset.objects.get(tablet=used_tablet)
    assert reset.by == mediator
    assert reset.factory_reset is False
    assert response.json()["tablets"] == [
        {"id": used_tablet.pk, "label": "TAB-001", "ready": True, "needs_reset": False}
    ]


def test_a_factory_reset_is_recorded_as_such(client, mediator, used_tablet):
    client.force_login(mediator)

    client.post(reset_url(used_tablet), '{"factory_reset": true}', content_type="application/json")

    assert TabletReset.objects.get(tablet=used_tablet).factory_reset is True


def test_the_picker_shows_a_used_tablet_as_to_be_reset(client, mediator, used_tablet):
    client.force_login(mediator)

    tablets = client.get("/tablette/api/jour/").json()["tablets"]

    assert tablets == [
        {"id": used_tablet.pk, "label": "TAB-001", "ready": False, "needs_reset": True}
    ]


def test_tablets_out_of_service_are_not_offered(client, mediator, tablet):
    tablet.status = "in_repair"
    tablet.save()
    client.force_login(mediator)

    assert client.get("/tablette/api/jour/").json()["tablets"] == []


def test_only_staff_of_the_tour_can_record_a_reset(client, used_tablet):
    anonymous = client.post(reset_url(used_tablet))
    client.force_login(make_user("resident"))
    resident = client.post(reset_url(used_tablet))

    assert anonymous.status_code == 401
    assert resident.status_code == 403
    used_tablet.refresh_from_db()
    assert used_tablet.needs_reset


def test_a_reset_of_an_unknown_tablet_or_with_bad_json_is_refused(client, mediator, tablet):
    client.force_login(mediator)

    unknown = client.post("/tablette/tablettes/999999/reinitialisee/")
    malformed = client.post(reset_url(tablet), "{oops", content_type="application/json")

    assert unknown.status_code == 404
    assert unknown.json()["error"] == "unknown_tablet"
    assert malformed.status_code == 400
    assert malformed.json()["error"] == "malformed_json"
    assert not TabletReset.objects.exists()


def test_an_absurd_tablet_number_is_a_404_not_a_crash(client, mediator):
    client.force_login(mediator)

    response = client.post(f"/tablette/tablettes/{10**30}/reinitialisee/")

    assert response.status_code == 404
