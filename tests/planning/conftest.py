import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from mediation.models import PARIS, RecurrenceRule, StopSeries, Van
from tests.factories import make_commune, make_coordinator

# A Tuesday in early January; every date in these tests is relative to it.
NOW = dt.datetime(2027, 1, 5, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def amiens(db):
    return make_commune(name="Amiens", latitude=Decimal("49.89400"), longitude=Decimal("2.29570"))


@pytest.fixture
def abbeville(db):
    # About 40 km north-west of Amiens as the crow flies.
    return make_commune(
        name="Abbeville", latitude=Decimal("50.10540"), longitude=Decimal("1.83560")
    )


@pytest.fixture
def van(amiens):
    return Van.objects.create(name="Bus 1", plate="AB-123-CD", home_base=amiens)


@pytest.fixture
def coordinator(db):
    return make_coordinator()


def make_series(van, commune, **overrides) -> StopSeries:
    values = {
        "van": van,
        "commune": commune,
        "place_name": "Place de la mairie",
        "rule": RecurrenceRule.WEEKLY,
        "weekday": 1,
        "start_date": TODAY,
        "end_date": dt.date(2027, 12, 31),
        "start_time": dt.time(9, 30),
        "end_time": dt.time(12, 30),
    } | overrides
    return StopSeries.objects.create(**values)
