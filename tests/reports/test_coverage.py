"""Coverage: each commune's distance to the tour, checked by hand on five communes.

The communes sit on a grid around a stop in "Centreville" (49.9° N, 2.3° E): 0.1° of
latitude is 11.12 km, 0.1° of longitude at this latitude 7.16 km.
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from reports.coverage import coverage_report
from sessions.models import Attendance, BusRequest, StopAlert
from tests.factories import make_registration, make_workshop

pytestmark = pytest.mark.django_db
YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def by_name(report):
    return {c.name: c for c in report.communes}


def test_each_commune_gets_the_distance_to_the_nearest_stop_of_the_period(grid):
    report = by_name(coverage_report(start=YEAR_START, end=YEAR_END))

    assert report["Centreville"].distance_km == 0
    assert report["Prèsville"].distance_km == pytest.approx(11.12, abs=0.01)
    assert report["Loinville"].distance_km == pytest.approx(33.36, abs=0.01)
    assert report["Estville"].distance_km == pytest.approx(7.16, abs=0.01)
    assert report["Loinville"].nearest_name == "Centreville"
    assert [
        report[n].distance_class for n in ("Centreville", "Estville", "Prèsville", "Loinville")
    ] == [0, 1, 2, 4]


def test_the_communes_left_out_come_first_weighted_by_population(grid):
    report = coverage_report(start=YEAR_START, end=YEAR_END)

    # 2000 × 11.1 km, then 300 × 33.4 km, then 500 × 7.2 km, then the stop's own commune.
    assert [c.name for c in report.communes] == [
        "Prèsville",
        "Loinville",
        "Estville",
        "Centreville",
    ]
    assert report.stop_count == 1


def test_each_epci_gets_the_share_of_its_population_within_10_and_20_km(grid):
    report = coverage_report(start=YEAR_START, end=YEAR_END)
    epcis = {epci.name: epci for epci in report.epcis}

    assert epcis["CC du Nord"].share_10 == pytest.approx(1000 / 3000)
    assert epcis["CC du Nord"].share_20 == 1
    assert epcis["CC du Sud"].share_10 == pytest.approx(500 / 800)
    assert epcis["CC du Sud"].share_20 == pytest.approx(500 / 800)
    # The least covered first; and the whole.
    assert [e.name for e in report.epcis] == ["CC du Sud", "CC du Nord"]
    assert report.total.share_20 == pytest.approx(3500 / 3800)


def test_visits_requests_and_alerts_are_counted_by_commune_without_personal_data(grid):
    workshop = make_workshop(stop=grid["stop"])
    came = make_registration(workshop=workshop, home_commune=grid["east"])
    absent = make_registration(workshop=workshop, home_commune=grid["far"])
    for registration, present in ((came, True), (absent, False)):
        Attendance.objects.create(
            uuid=uuid.uuid4(),
            registration=registration,
            present=present,
            recorded_at=timezone.now(),
        )
    BusRequest.objects.create(
        commune=grid["far"],
        requester_kind="mairie",
        contact_name="Mme Maire",
        email="mairie@example.org",
        consent_at=timezone.now(),
    )

    StopAlert.objects.create(
        commune=grid["far"],
        radius_km=20,
        phone="+33612345678",
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    StopAlert.objects.create(  # not confirmed: not counted
        commune=grid["far"], radius_km=20, phone="+33612345679", consent_at=timezone.now()
    )

    report = by_name(coverage_report(start=dt.date(2020, 1, 1), end=dt.date(2030, 12, 31)))

    assert report["Estville"].visits == 1
    assert report["Loinville"].visits == 0
    assert (report["Loinville"].requests, report["Loinville"].pending_requests) == (1, 1)
    assert report["Loinville"].alerts == 1


def test_without_any_stop_no_commune_has_a_distance(grid):
    report = coverage_report(start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31))

    assert all(c.distance_km is None and c.distance_class is None for c in report.communes)
    assert report.total.share_10 == 0
