"""A coordinator edits a stop while another applies the week's route, on PostgreSQL."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import transaction

from mediation.models import Stop
from mediation.planning.route import week_route, week_route_apply
from mediation.services import stop_update
from tests.factories import make_commune, make_stop
from tests.postgresql import postgresql_only, run_at_once

pytestmark = [
    *postgresql_only("row locks only mean something on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

MONDAY = dt.date(2027, 1, 11)


def test_a_stop_edited_while_the_route_is_applied_keeps_its_new_place(van):
    # Four stops zigzag east and west of Amiens; the route moves some. Claire saves a new
    # place for one of them at the moment Marc applies the route: the route may move it to
    # another day, but her place must stand (the route wrote back the place it had read).
    places = [("Ouest-1", "1.9"), ("Est-1", "2.7"), ("Ouest-2", "1.8"), ("Est-2", "2.8")]
    for offset, (name, longitude) in enumerate(places):
        commune = make_commune(name=name, latitude=Decimal("49.9"), longitude=Decimal(longitude))
        make_stop(van=van, commune=commune, date=MONDAY + dt.timedelta(days=offset))
    moving = next(new for old, new in week_route(van=van, monday=MONDAY).pairs if old != new)
    moved_from = moving.date
    saving = threading.Event()

    def claire_saves():
        with transaction.atomic():
            mine = Stop.objects.select_for_update().get(pk=moving.pk)
            mine.place_name = "Salle des fêtes"
            stop_update(stop=mine, changed_fields=["place_name"])
            saving.set()
            time.sleep(1)  # Marc's click arrives while her save is under way

    def marc_applies():
        saving.wait()
        week_route_apply(van=van, monday=MONDAY)

    run_at_once([claire_saves, marc_applies])

    moving.refresh_from_db()
    assert moving.place_name == "Salle des fêtes"
    assert moving.date != moved_from  # the route did move it
