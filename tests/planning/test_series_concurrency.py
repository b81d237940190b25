"""Two coordinators click "Generate" on the same series at the same moment, on PostgreSQL.

Each thread has its own connection, as web workers do. The control shows that the race is
real: every plan read at the same moment would create every date.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import transaction

from mediation.models import Stop
from mediation.planning.series import series_generate, series_plan
from mediation.services import stop_update
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


def test_a_stop_edited_by_hand_while_the_series_is_generated_keeps_the_hand_edit(van, abbeville):
    # Claire saves the stop of 12 January in the hall ("Salle des fêtes") at the moment Marc
    # generates the series' new hours. Whichever finishes first, the hand edit must stand:
    # the series read the stop before Claire's save and wrote its old place back over it.
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    series_generate(series=series, today=TODAY)
    stop = Stop.objects.get(series=series, date=dt.date(2027, 1, 12))
    series.start_time, series.end_time = dt.time(10), dt.time(13)
    series.save()
    saving = threading.Event()

    def claire_saves():
        with transaction.atomic():
            mine = Stop.objects.select_for_update().get(pk=stop.pk)
            mine.place_name = "Salle des fêtes"
            stop_update(stop=mine, changed_fields=["place_name"])
            saving.set()
            time.sleep(1)  # Marc's click arrives while her save is under way

    def marc_generates():
        saving.wait()
        series_generate(series=series, today=TODAY)

    run_at_once([claire_saves, marc_generates])

    stop.refresh_from_db()
    assert (stop.place_name, stop.edited_by_hand) == ("Salle des fêtes", True)
    assert stop.start_time == dt.time(9, 30)
