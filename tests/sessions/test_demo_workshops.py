"""The demo's workshops keep their seat counters right and show some waiting lists."""

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
