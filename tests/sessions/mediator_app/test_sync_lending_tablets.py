"""The sync endpoint and the lending tablets: a tablet used is recorded, then awaits its reset."""

import pytest
from django.utils import timezone

from sessions.models import Attendance
from tablets.models import TabletUse
from tablets.services import tablet_record_reset
from tests.sessions.mediator_app.test_sync_endpoint import post

pytestmark = pytest.mark.django_db


def test_a_tablet_out_of_service_is_left_out_but_the_presence_is_kept(
    ines, registrations, record_for, tablet
):
    # Inès lent TAB-001 to Jeanine with no signal, while the office marked it in repair. Jeanine
    # came all the same: she is counted, and Inès reads why the tablet was not noted.
    tablet.status = "in_repair"
    tablet.save()

    answer = post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]}).json()

    result = answer["results"][0]
    assert (result["status"], result["result"]) == ("accepted", "in_force")
    assert result["tablet_refused"] == "unavailable"
    attendance = Attendance.objects.get()
    assert attendance.present and attendance.lending_tablet is None
    assert not TabletUse.objects.exists()


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


def test_a_tablet_awaiting_its_reset_is_not_lent_again_but_the_second_resident_is_counted(
    ines, registrations, record_for, tablet
):
    post(ines, {"records": [record_for(registrations[0], tablet=tablet.pk)]})

    record = record_for(registrations[1], tablet=tablet.pk, note="Compte Ameli créé")
    answer = post(ines, {"records": [record]}).json()

    result = answer["results"][0]
    assert (result["status"], result["tablet_refused"]) == ("accepted", "reset_pending")
    attendance = Attendance.objects.get(registration=registrations[1])
    assert (attendance.present, attendance.note) == (True, "Compte Ameli créé")
    assert attendance.lending_tablet is None
    assert TabletUse.objects.filter(tablet=tablet).count() == 1


def test_a_tablet_removed_from_the_fleet_is_left_out_but_the_presence_is_kept(
    ines, registrations, record_for
):
    answer = post(ines, {"records": [record_for(registrations[0], tablet=999_999)]}).json()

    assert answer["results"][0]["tablet_refused"] == "unknown_tablet"
    assert Attendance.objects.get().lending_tablet is None


def test_a_record_lending_no_tablet_or_one_accepted_says_nothing_of_a_refusal(
    ines, registrations, record_for, tablet
):
    answer = post(
        ines,
        {
            "records": [
                record_for(registrations[0]),
                record_for(registrations[1], tablet=tablet.pk),
            ]
        },
    ).json()

    assert all("tablet_refused" not in result for result in answer["results"])


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
