"""The sync writes the attendances it replaces with one UPDATE … FROM, not bulk_update's CASE
per field and row: the same fields, the same values, on PostgreSQL (arrays) and SQLite
(a VALUES list, within its limit on parameters)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation import bulk_sql
from mediation.bulk_sql import insert_rows, update_from_values
from sessions.mediator_app.sync_batch import WRITTEN_FIELDS
from sessions.models import Attendance, AttendanceVersion, Registration
from tests.factories import make_mediator, make_tablet, make_workshop

pytestmark = pytest.mark.django_db

RECORDED = dt.datetime(2026, 3, 12, 10, 15, 30, 123456, tzinfo=dt.UTC)


def attendances(count: int, workshop, by) -> list[Attendance]:
    registrations = Registration.objects.bulk_create(
        Registration(workshop=workshop, first_name="Jeanine", phone=f"+3361200{n:04d}")
        for n in range(count)
    )
    return Attendance.objects.bulk_create(
        Attendance(
            uuid=uuid.uuid4(),
            registration=registration,
            present=False,
            minutes_spent=10,
            note="",
            recorded_at=RECORDED - dt.timedelta(days=1),
            recorded_by=by,
        )
        for registration in registrations
    )


def corrected(attendance: Attendance, n: int, tablet, by) -> None:
    """What a later record says: every written field changes, some to NULL."""
    attendance.uuid = uuid.uuid4()
    attendance.present = True
    attendance.minutes_spent = None if n % 2 else 45 + n
    attendance.note = f"Compte « CAF » créé, l'appli installée ({n})"
    attendance.autonomy = "partiellement_autonome"
    attendance.equipment = "tablette"
    attendance.redirection = "caf" if n % 3 == 0 else ""
    attendance.first_visit = None if n % 2 else False
    attendance.age_bracket = "60_69"
    attendance.situation = "retraite"
    attendance.gender = "femme"
    attendance.lending_tablet = tablet if n % 2 == 0 else None
    attendance.recorded_at = RECORDED + dt.timedelta(minutes=n)
    attendance.recorded_by = by
    attendance.received_at = RECORDED + dt.timedelta(hours=2)


def stored(attendances: list[Attendance]) -> list[dict]:
    rows = Attendance.objects.filter(pk__in=[a.pk for a in attendances]).order_by("pk")
    fields = [Attendance._meta.get_field(name).attname for name in WRITTEN_FIELDS]
    return [{name: getattr(row, name) for name in fields} for row in rows]


def expected(attendances: list[Attendance]) -> list[dict]:
    fields = [Attendance._meta.get_field(name).attname for name in WRITTEN_FIELDS]
    return [{name: getattr(a, name) for name in fields} for a in attendances]


def test_the_set_based_update_writes_what_bulk_update_writes():
    inès = make_mediator("ines")
    tablet = make_tablet(asset_tag="TAB-007", serial_number="SN-7")
    workshop = make_workshop(capacity=20)
    ours = attendances(6, workshop, None)[:3]
    django_s = list(Attendance.objects.exclude(pk__in=[a.pk for a in ours]))
    for n, (mine, theirs) in enumerate(zip(ours, django_s, strict=True)):
        corrected(mine, n, tablet, inès)
        corrected(theirs, n, tablet, inès)

    assert update_from_values(ours, WRITTEN_FIELDS) == 3
    Attendance.objects.bulk_update(django_s, WRITTEN_FIELDS)

    mine, theirs = stored(ours), stored(django_s)
    assert mine == expected(ours)
    for row, other in zip(mine, theirs, strict=True):
        assert {k: v for k, v in row.items() if k != "uuid"} == {
            k: v for k, v in other.items() if k != "uuid"
        }


def test_the_rows_not_named_are_left_alone():
    workshop = make_workshop(capacity=20)
    changed, untouched = attendances(2, workshop, None)
    before = stored([untouched])
    corrected(changed, 0, None, None)

    update_from_values([changed], WRITTEN_FIELDS)

    assert stored([untouched]) == before
    assert stored([changed]) == expected([changed])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's limit on parameters")
def test_on_sqlite_a_long_list_is_split_within_the_limit_on_parameters():
    workshop = make_workshop(capacity=200)
    rows = attendances(150, workshop, None)
    for n, attendance in enumerate(rows):
        corrected(attendance, n, None, None)

    with CaptureQueriesContext(connection) as captured:
        assert update_from_values(rows, WRITTEN_FIELDS) == 150

    per_statement = connection.features.max_query_params // (len(WRITTEN_FIELDS) + 1)
    assert len(captured) == -(-150 // per_statement)
    assert stored(rows) == expected(rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JSON rows")
def test_on_postgresql_a_thousand_rows_are_one_statement_of_a_few_parameters():
    workshop = make_workshop(capacity=2000)
    rows = attendances(1000, workshop, None)
    for n, attendance in enumerate(rows):
        corrected(attendance, n, None, None)

    with CaptureQueriesContext(connection) as captured:
        assert update_from_values(rows, WRITTEN_FIELDS) == 1000

    (query,) = captured.captured_queries
    assert "json_to_recordset" in query["sql"] and "CASE" not in query["sql"]
    assert stored(rows) == expected(rows)


def test_a_database_without_update_from_falls_back_to_bulk_update(monkeypatch):
    monkeypatch.setattr(bulk_sql, "supports_update_from", lambda vendor: False)
    workshop = make_workshop(capacity=20)
    rows = attendances(3, workshop, None)
    for n, attendance in enumerate(rows):
        corrected(attendance, n, None, None)

    with CaptureQueriesContext(connection) as captured:
        update_from_values(rows, WRITTEN_FIELDS)

    assert "CASE" in captured.captured_queries[-1]["sql"]
    assert stored(rows) == expected(rows)


def test_in_array_finds_what_in_finds():
    workshop = make_workshop(capacity=20)
    rows = attendances(4, workshop, None)
    wanted = [rows[0].uuid, rows[2].uuid, uuid.uuid4()]

    found = set(Attendance.objects.filter(uuid__in_array=wanted).values_list("pk", flat=True))
    by_key = set(
        Attendance.objects.filter(registration__in_array=[rows[1].registration_id]).values_list(
            "pk", flat=True
        )
    )

    assert found == {rows[0].pk, rows[2].pk}
    assert by_key == {rows[1].pk}
    assert not Attendance.objects.filter(uuid__in_array=[]).exists()


def test_history_rows_inserted_in_one_go_keep_every_value_to_the_microsecond():
    """Inès's tablet replaced 300 records: their history is what the tablet sent, exactly."""
    inès = make_mediator("ines")
    workshop = make_workshop(capacity=400)
    rows = attendances(300, workshop, inès)
    data = {"present": True, "note": 'Compte « CAF » créé, l\'appli "installée"\\', "outcomes": [3]}
    versions = [
        (uuid.uuid4(), row.pk, "replaced", data | {"minutes_spent": n}, RECORDED, inès.pk, RECORDED)
        for n, row in enumerate(rows)
    ]

    with CaptureQueriesContext(connection) as captured:
        insert_rows(
            AttendanceVersion,
            ["uuid", "attendance", "fate", "data", "recorded_at", "recorded_by", "archived_at"],
            versions,
        )

    if connection.vendor == "postgresql":
        assert len(captured) == 1
    kept = {
        version.uuid: version for version in AttendanceVersion.objects.filter(attendance__in=rows)
    }
    assert len(kept) == 300
    for version_uuid, attendance_id, fate, sent, recorded_at, by, _ in versions:
        version = kept[version_uuid]
        assert (version.attendance_id, version.fate, version.data) == (attendance_id, fate, sent)
        assert (version.recorded_at, version.recorded_by_id) == (recorded_at, by)


def test_in_array_of_texts_and_of_nothing_finds_what_in_finds():
    workshop = make_workshop(capacity=20)
    rows = attendances(3, workshop, None)
    corrected(rows[0], 0, None, None)
    update_from_values([rows[0]], WRITTEN_FIELDS)

    notes = [rows[0].note, "aucune"]
    assert (
        set(Attendance.objects.filter(note__in_array=notes))
        == set(Attendance.objects.filter(note__in=notes))
        == {rows[0]}
    )
    assert not Attendance.objects.filter(uuid__in_array=[]).exists()
