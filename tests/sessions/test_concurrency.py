"""No overbooking under concurrent sign-ups and cancellations, on real PostgreSQL.

Each thread has its own database connection, as web workers do. A control runs a naive
count-then-insert in the same conditions and shows that the race really happens, so a
green result means the guard works, not that the test failed to create contention.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from sessions.models import Registration, RegistrationStatus, Workshop
from sessions.services import RegistrationError, registration_cancel, registration_create
from tests.factories import make_workshop
from tests.postgresql import postgresql_only

pytestmark = [
    *postgresql_only("Concurrency is proven on PostgreSQL (CI runs it there)"),
    pytest.mark.django_db(transaction=True),
]

SIGN_UPS = 100
SEATS = 10


def connection_budget() -> int:
    """How many connections the threads may hold at once without exhausting the server."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
        free = cursor.fetchone()[0]
    return max(10, min(SIGN_UPS, free - 10))


def run_in_threads(jobs: list[Callable[[], str]], *, budget: int | None = None) -> Counter:
    """Start every job at the same instant, each in its own thread and connection (at most
    `budget` at once, connection_budget() by default)."""
    start = threading.Barrier(len(jobs))
    slots = threading.BoundedSemaphore(budget or connection_budget())
    results: list[str] = []
    lock = threading.Lock()

    def worker(job):
        start.wait()
        with slots:
            try:
                outcome = job()
            except RegistrationError as error:
                outcome = error.code
            except Exception as error:  # noqa: BLE001 - reported in the assertion
                outcome = f"crash: {error!r}"
            finally:
                connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return Counter(results)


def sign_up(workshop_pk: int, number: int) -> Callable[[], str]:
    def job() -> str:
        registration = registration_create(
            workshop=Workshop(pk=workshop_pk),
            first_name="Jean",
            last_name="Dupont",
            phone=f"+3361{number:07d}",
            notify=False,
        )
        return registration.status

    return job


def naive_sign_up(workshop_pk: int, number: int, *, seats: int) -> Callable[[], str]:
    """What the service must not be: count the seats, then insert, with no lock."""

    def job() -> str:
        with transaction.atomic():
            taken = Registration.objects.filter(
                workshop_id=workshop_pk, status=RegistrationStatus.CONFIRMED
            ).count()
            time.sleep(0.005)  # the time a real request spends between the two
            status = RegistrationStatus.CONFIRMED if taken < seats else RegistrationStatus.WAITING
            Registration.objects.create(
                workshop_id=workshop_pk,
                first_name="Jean",
                phone=f"+3362{number:07d}",
                status=status,
            )
        return status

    return job


def assert_consistent(workshop: Workshop) -> None:
    workshop.refresh_from_db()
    confirmed = workshop.registrations.confirmed().count()
    assert confirmed == workshop.seats_taken <= workshop.capacity
    if workshop.registrations.waiting().exists():
        # Nobody waits while a seat is free.
        assert confirmed == workshop.capacity


def test_the_control_overbooks_without_the_guard():
    # Fewer seats than sign-ups running at once, whatever the connections left by the tests
    # running beside this one: with as many seats as connections (a budget of 10 for 10
    # seats), the first wave fills the workshop exactly and commits before the next counts,
    # so the race the control must show could not happen.
    budget = connection_budget()
    seats = min(SEATS, budget // 2)
    workshop = make_workshop(capacity=seats)

    jobs = [naive_sign_up(workshop.pk, n, seats=seats) for n in range(SIGN_UPS)]
    results = run_in_threads(jobs, budget=budget)

    assert results["confirmed"] > seats, results


def test_a_hundred_simultaneous_sign_ups_for_ten_seats_confirm_exactly_ten():
    workshop = make_workshop(capacity=SEATS)
    started = time.monotonic()

    results = run_in_threads([sign_up(workshop.pk, n) for n in range(SIGN_UPS)])

    assert results == Counter({"confirmed": SEATS, "waiting": SIGN_UPS - SEATS}), results
    assert workshop.registrations.confirmed().count() == SEATS
    assert_consistent(workshop)
    assert time.monotonic() - started < 20


def test_simultaneous_cancellations_and_sign_ups_never_overbook():
    workshop = make_workshop(capacity=SEATS)
    holders = [sign_up(workshop.pk, n)() for n in range(SEATS + 10)]
    assert Counter(holders) == Counter({"confirmed": SEATS, "waiting": 10})
    to_cancel = list(workshop.registrations.order_by("pk")[::2])

    def cancel(registration: Registration) -> Callable[[], str]:
        def job() -> str:
            promoted = registration_cancel(registration=registration, notify=False)
            return f"cancelled+{len(promoted)}"

        return job

    jobs = [cancel(registration) for registration in to_cancel]
    jobs += [sign_up(workshop.pk, 1000 + n) for n in range(SIGN_UPS - len(jobs))]
    results = run_in_threads(jobs)

    assert not [outcome for outcome in results if outcome.startswith("crash")], results
    assert_consistent(workshop)
    assert workshop.registrations.filter(status="cancelled").count() == len(to_cancel)
    assert workshop.registrations.confirmed().count() == SEATS
