"""The sync endpoint and the lending tablets: a tablet used is recorded, then awaits its reset."""

import pytest
from django.utils import timezone

from sessions.models import Attendance
from tablets.models import TabletUse
from tablets.services import tablet_record_reset
from tests.sessions.mediator_app.test_sync_endpoint import post

pytestmark = pytest.mark.django_db


def test_a_tablet_out_of_service_cannot_be_lent(ines, registrations, record_for, tablet):
    tablet.status = "in_repair"
    tablet.save()

    answer = post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]}).json()

    assert answer["results"][0]["reason"] == "unavailable"
    assert not Attendance.objects.exists()


def test_the_lending_tablet_is_recorded_and_then_awaits_its_reset(
    ines, workshop, registrations, record_for, tablet
):
    record = record_for(registrations[0], tablet=tablet.pk)

    post(ines, {"records": [record]})

    assert Attendance.objects.get().lending_tablet == tablet
    tablet.refresh_from_db()
    assert tablet.needs_reset
    use = TabletUse.objects.get(tablet=tablet)
    assert use.reference == record["uuid"]
    assert use.stop == workshop.stop


def test_a_tablet_awaiting_its_reset_cannot_be_lent_again(ines, registrations, record_for, tablet):
    post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]})

    answer = post(ines, {"records": [record_for(registrations[1], tablet=tablet.pk)]}).json()

    assert answer["results"][0]["status"] == "refused"
    assert answer["results"][0]["reason"] == "reset_pending"
    assert not Attendance.objects.filter(registration=registrations[1]).exists()
    assert TabletUse.objects.filter(tablet=tablet).count() == 1


def test_editing_a_person_who_used_a_tablet_records_no_second_use(
    ines, registrations, record_for, tablet
):
    post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]})

    edit = record_for(
        registrations[0], tablet=tablet.pk, note="Ajouté après", recorded_at=timezone.now()
    )
    answer = post(ines, {"records": [edit]}).json()["results"][0]

    assert answer["result"] == "in_force"
    assert Attendance.objects.get().note == "Ajouté après"
    assert TabletUse.objects.filter(tablet=tablet).count() == 1


def test_a_reset_tablet_can_be_lent_to_the_next_resident(
    ines, mediator, registrations, record_for, tablet
):
    post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]})
    tablet_record_reset(tablet=tablet, by=mediator)

    answer = post(ines, {"records": [record_for(registrations[1], tablet=tablet.pk)]}).json()

    assert answer["results"][0]["status"] == "accepted"
    assert TabletUse.objects.filter(tablet=tablet).count() == 2
