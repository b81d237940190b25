"""Two mediators hand the same freshly reset tablet to two residents at the same moment."""

import threading

import pytest
from django.db import connections
from django.utils import timezone

from tablets.errors import TabletError
from tablets.models import TabletUse
from tablets.services import tablet_record_use
from tests.factories import make_tablet
from tests.postgresql import postgresql_only

pytestmark = [
    *postgresql_only("row locks only mean something on PostgreSQL"),
    # Committed rows are needed (each thread has its own connection). available_apps keeps
    # the flush after the test to this app's tables: the migration data of the others
    # (Wagtail's root page) stays for the transactional tests that follow.
    pytest.mark.django_db(transaction=True, available_apps=["tablets"]),
]

CLIENTS = 8


def test_only_one_of_simultaneous_residents_gets_the_tablet():
    tablet = make_tablet()
    # One moment for all: a use sent late that happened before the one awaiting a reset is
    # recorded (it was made on a clean tablet, tablets/services.py); here all happen at once.
    moment = timezone.now()
    barrier = threading.Barrier(CLIENTS)
    outcomes: list[str] = []

    def use(number: int) -> None:
        try:
            barrier.wait()
            tablet_record_use(tablet=tablet, used_at=moment, reference=f"race-{number}")
            outcomes.append("ok")
        except TabletError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok"] + ["reset_pending"] * (CLIENTS - 1)
    assert TabletUse.objects.filter(tablet=tablet).count() == 1
