"""A coordinator double-clicks "New address" for a van, on PostgreSQL: one address works."""

import pytest

from mediation.models import PrivateFeed
from mediation.planning.feeds import private_feed_create
from tests.postgresql import postgresql_only, run_at_once

pytestmark = [
    *postgresql_only("row locks only mean something on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

CLICKS = 6


def test_addresses_made_at_once_for_one_van_leave_only_the_last_one_working(van):
    # Each click is told "the previous address stops working": two working at once would
    # leave an address in a phone nobody knows to revoke.
    run_at_once([lambda: private_feed_create(van=van)] * CLICKS)

    assert PrivateFeed.objects.filter(van=van).count() == CLICKS
    assert PrivateFeed.objects.active().filter(van=van).count() == 1
