"""Five communes checked by hand around a stop (see test_coverage.py for the distances)."""

import datetime as dt
from decimal import Decimal

import pytest

from mediation.models import StopStatus
from tests.factories import make_commune, make_epci, make_stop


@pytest.fixture
def grid():
    """Centreville (a stop in June) and four communes around it, in two EPCI."""
    north_epci, south_epci = make_epci(name="CC du Nord"), make_epci(name="CC du Sud")
    centre = make_commune(
        name="Centreville",
        insee_code="80001",
        population=1000,
        epci=north_epci,
        latitude=Decimal("49.90000"),
        longitude=Decimal("2.30000"),
    )
    near = make_commune(
        name="Prèsville",
        insee_code="80021",
        population=2000,
        epci=north_epci,
        latitude=Decimal("50.00000"),
        longitude=Decimal("2.30000"),
    )
    far = make_commune(
        name="Loinville",
        insee_code="80688",
        population=300,
        epci=south_epci,
        latitude=Decimal("50.20000"),
        longitude=Decimal("2.30000"),
    )
    east = make_commune(
        name="Estville",
        insee_code="80016",
        population=500,
        epci=south_epci,
        latitude=Decimal("49.90000"),
        longitude=Decimal("2.40000"),
    )
    stop = make_stop(commune=centre, date=dt.date(2026, 6, 2))
    # Neither counts: a cancelled stop in Prèsville, a stop in Loinville the year before.
    make_stop(commune=near, date=dt.date(2026, 6, 9), status=StopStatus.CANCELLED)
    make_stop(commune=far, date=dt.date(2025, 6, 9))
    return {"centre": centre, "near": near, "far": far, "east": east, "stop": stop}
