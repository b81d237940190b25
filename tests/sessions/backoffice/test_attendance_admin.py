"""Coordinators read attendance and outcomes per workshop in the back-office."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.mediator_app.sync import attendance_sync_batch
from tests.factories import make_module, make_registration, make_workshop

pytestmark = pytest.mark.django_db
REPORT_URL = "/admin/presences/"


def _record(registration, **fields):
    return {
        "uuid": str(uuid.uuid4()),
        "recorded_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
        "workshop": registration.workshop_id,
        "registration": str(registration.uuid),
        "present": True,
    } | fields


@pytest.fixture
def recorded_workshop(coordinator):
    """A workshop this morning: two present (one with both outcomes), one absent, one unmarked."""
    workshop = make_workshop(
        stop=make_workshop().stop,
        module=make_module(outcomes=["Compte CAF créé", "Mot de passe noté"]),
    )
    workshop.stop.date = timezone.localdate()
    workshop.stop.save()
    caf, password = workshop.module.outcomes.order_by("sort_order")
    people = [make_registration(workshop=workshop, first_name=n) for n in "ABCD"]
    attendance_sync_batch(
        user=coordinator,
        records=[
            _record(people[0], outcomes=[caf.pk, password.pk], autonomy="autonome"),
            _record(people[1], outcomes=[caf.pk]),
            _record(people[2], present=False),
        ],
    )
    return workshop, people, caf, password


def test_a_coordinator_sees_attendance_and_outcomes_per_workshop(
    client, coordinator, recorded_workshop
):
    workshop, _, caf, password = recorded_workshop
    client.force_login(coordinator)

    response = client.get(REPORT_URL)

    assert response.status_code == 200
    [row] = [w for w in response.context["page"].object_list if w.pk == workshop.pk]
    assert (row.registered, row.present_count, row.absent_count, row.not_marked) == (4, 2, 1, 1)
    assert row.outcome_counts == [(caf.label, 2), (password.label, 1)]
    assert f'data-workshop="{workshop.pk}"'.encode() in response.content


def test_a_walk_in_withdrawn_on_a_tablet_counts_neither_registered_nor_absent(
    client, coordinator, recorded_workshop
):
    # Gérard was added as a walk-in by mistake, then taken off the roster on the tablet.
    workshop, _, _, _ = recorded_workshop
    gerard = {"first_name": "Gérard", "commune": workshop.stop.commune.insee_code}
    walk_in = str(uuid.uuid4())
    results = attendance_sync_batch(
        user=coordinator,
        records=[
            _record(workshop.registrations.first(), walk_in=gerard) | {"registration": walk_in},
            _record(
                workshop.registrations.first(),
                walk_in=gerard,
                present=False,
                withdrawn=True,
                recorded_at=timezone.now().isoformat(),
            )
            | {"registration": walk_in},
        ],
    )
    assert [result["status"] for result in results] == ["accepted", "accepted"]
    client.force_login(coordinator)

    response = client.get(REPORT_URL)

    [row] = [w for w in response.context["page"].object_list if w.pk == workshop.pk]
    assert (row.registered, row.present_count, row.absent_count, row.not_marked) == (4, 2, 1, 1)
    assert row.walk_in_count == 0


def test_a_coordinator_reads_each_persons_record(client, coordinator, recorded_workshop):
    workshop, people, caf, password = recorded_workshop
    client.force_login(coordinator)

    response = client.get(f"{REPORT_URL}{workshop.pk}/")

    assert response.status_code == 200
    rows = {r.uuid: r for r in response.context["registrations"]}
    first = rows[people[0].uuid].current_attendance
    assert set(first.outcomes.all()) == {caf, password}
    assert first.autonomy == "autonome"
    assert rows[people[2].uuid].current_attendance.present is False
    assert rows[people[3].uuid].current_attendance is None
    assert f'data-outcome="{password.pk}"'.encode() in response.content


def test_a_mediator_reads_the_attendance_of_their_own_stops_only(
    client, mediator, recorded_workshop
):
    workshop = recorded_workshop[0]
    client.force_login(mediator)

    assert f'data-workshop="{workshop.pk}"' not in client.get(REPORT_URL).content.decode()
    assert client.get(f"{REPORT_URL}{workshop.pk}/").status_code == 404

    workshop.stop.mediators.add(mediator)

    assert f'data-workshop="{workshop.pk}"' in client.get(REPORT_URL).content.decode()
    assert client.get(f"{REPORT_URL}{workshop.pk}/").status_code == 200


def test_the_report_costs_the_same_queries_however_many_workshops(
    client, coordinator, recorded_workshop
):
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT_URL)
    for _ in range(3):
        make_workshop(stop=recorded_workshop[0].stop, module=recorded_workshop[0].module)

    with CaptureQueriesContext(connection) as many:
        client.get(REPORT_URL)

    assert len(many) == len(few)


@pytest.mark.parametrize("query", ["du=hier", "au=2026-02-31", "du=2026-13-01&au=x"])
def test_a_bad_date_is_an_error_on_the_page_not_a_crash(client, coordinator, query):
    client.force_login(coordinator)

    response = client.get(f"{REPORT_URL}?{query}")

    assert response.status_code == 200
    assert response.context["errors"]


def test_dates_the_wrong_way_round_say_so_rather_than_show_no_workshop(client, coordinator):
    # Claire types "du 30/11 au 01/11": the page says the end is before the start, next to
    # "Au", instead of "Aucun atelier sur cette période".
    client.force_login(coordinator)

    response = client.get(REPORT_URL, {"du": "2026-11-30", "au": "2026-11-01"})

    assert response.status_code == 200
    assert response.context["errors"] == {"au": "La fin est avant le début."}
    assert 'id="au-error"' in response.content.decode()


def test_an_unknown_workshop_is_a_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get(f"{REPORT_URL}999999/").status_code == 404


def test_two_namesakes_are_told_apart_by_their_phones_end_as_on_the_tablet(client, coordinator):
    # Two Odette Leroy signed up for the same workshop; Claire must know which one came.
    workshop = make_workshop()
    first = make_registration(workshop=workshop, first_name="Odette", last_name="Leroy")
    second = make_registration(workshop=workshop, first_name="odette", last_name="LEROY")
    marcel = make_registration(workshop=workshop, first_name="Marcel", last_name="Leroy")
    client.force_login(coordinator)

    html = client.get(f"{REPORT_URL}{workshop.pk}/").content.decode()

    def row_of(registration) -> str:
        return re.search(rf'data-registration="{registration.uuid}">(.*?)</th>', html, re.S)[1]

    assert f"finissant par {first.phone[-2:]}" in row_of(first)
    assert f"finissant par {second.phone[-2:]}" in row_of(second)
    assert "finissant par" not in row_of(marcel)


def test_someone_erased_reads_as_an_anonymised_person_not_as_a_blank_row(
    client, coordinator, recorded_workshop
):
    # B asked to be erased after the workshop: her attendance still counts in the figures,
    # but her row said nothing at all where her name was. It now says why.
    from sessions.privacy.services import person_erase

    workshop, people, _caf, _password = recorded_workshop
    person_erase(contact=people[1].phone, by=coordinator)
    client.force_login(coordinator)

    response = client.get(f"{REPORT_URL}{workshop.pk}/")

    html = response.content.decode()
    row = re.search(rf'<tr data-registration="{people[1].uuid}">(.*?)</tr>', html, re.S)
    name_cell = re.search(r'<th scope="row">(.*?)</th>', row.group(1), re.S).group(1)
    assert name_cell.strip() == "Personne anonymisée"
