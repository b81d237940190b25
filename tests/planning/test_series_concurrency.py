"""Two coordinators click "Generate" on the same series at the same moment, on PostgreSQL.

Each thread has its own connection, as web workers do. The control shows that the race is
real: every plan read at the same moment would create every date.
"""

import datetime as dt

import pytest

from mediation.models import Stop
from mediation.planning.series import series_generate, series_plan
from tests.planning.conftest import TODAY, make_series
from tests.postgresql import postgresql_only, run_at_once

pytestmark = [
    *postgresql_only("row locks only mean something on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

COORDINATORS = 6


def test_coordinators_generating_one_series_at_once_plan_each_date_once(van, abbeville):
    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 31))
    read = series_plan(series, today=TODAY)

    # The control: plans read at the same moment each want all 13 dates.
    seen = run_at_once([lambda: series_plan(series, today=TODAY)] * COORDINATORS)
    assert [len(plan.to_create) for plan in seen] == [13] * COORDINATORS

    # Clicked at once, from the same preview: one creates the stops, the others find
    # nothing left to do (and no error).
    plans = run_at_once(
        [lambda: series_generate(series=series, today=TODAY, expected=read.fingerprint)]
        * COORDINATORS
    )

    assert sorted(len(plan.to_create) for plan in plans) == [0] * (COORDINATORS - 1) + [13]
    stops = Stop.objects.filter(series=series)
    assert stops.count() == 13
    assert stops.values("date").distinct().count() == 13
