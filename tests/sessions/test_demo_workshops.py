"""The demo's workshops keep their seat counters right and show some waiting lists."""

import datetime as dt

import pytest
from django.db.models import Count, Q

from sessions.demo import seed_workshops
from sessions.models import Workshop
from tests.factories import make_module, make_stop

pytestmark = pytest.mark.django_db


def test_demo_workshops_have_consistent_counters_and_waiting_lists():
    for _ in range(3):
        make_module()
    for _ in range(12):
        make_stop()

    assert seed_workshops() == 36

    workshops = Workshop.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waiting")),
    )
    assert all(w.confirmed == w.seats_taken <= w.capacity for w in workshops)
    assert all(w.waiting == 0 or w.seats_taken == w.capacity for w in workshops)
    assert any(w.waiting for w in workshops)


def test_demo_group_workshops_last_as_long_as_their_module():
    for minutes in (90, 90, 60, 60):
        make_module(duration_minutes=minutes)
    for _ in range(12):
        make_stop(start_time=dt.time(9, 30), end_time=dt.time(12, 30))

    seed_workshops()

    for workshop in Workshop.objects.filter(capacity__gt=1).select_related("module", "stop"):
        start = dt.datetime.combine(workshop.stop.date, workshop.start_time)
        end = dt.datetime.combine(workshop.stop.date, workshop.end_time)
        assert end - start == dt.timedelta(minutes=workshop.module.duration_minutes)
        assert workshop.end_time <= workshop.stop.end_time
