"""Two coordinators move residents the opposite way between the same two workshops at the
same instant, or a resident cancels while being moved: on PostgreSQL's row locks, each waits
for the other, nobody gets an error page and the seat counters stay right."""

import datetime as dt

import pytest
from django.db import connections

from sessions.models import Registration, RegistrationStatus, Workshop
from sessions.services import RegistrationError, registration_cancel, registration_move
from tests.factories import make_coordinator, make_module, make_stop, make_workshop
from tests.postgresql import postgresql_only, run_at_once

pytestmark = [
    *postgresql_only("Row locks and deadlocks are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


def seats_right(*workshops) -> bool:
    for workshop in workshops:
        workshop.refresh_from_db()
        confirmed = Registration.objects.filter(
            workshop=workshop, status=RegistrationStatus.CONFIRMED
        ).count()
        if workshop.seats_taken != confirmed:
            return False
    return True


def attempt(job):
    def run():
        try:
            return job()
        except RegistrationError as error:
            return error.code
        except Exception as error:  # noqa: BLE001 - reported in the assertion
            return f"crash: {error!r}"
        finally:
            connections.close_all()

    return run


@pytest.fixture
def two_workshops():
    stop = make_stop(date=dt.date.today() + dt.timedelta(days=7), end_time=dt.time(17))
    module = make_module()
    morning = make_workshop(stop=stop, module=module, capacity=50)
    afternoon = make_workshop(
        stop=stop, module=module, start_time=dt.time(14), end_time=dt.time(16), capacity=50
    )
    return morning, afternoon


def registered(workshop, number) -> Registration:
    Workshop.objects.filter(pk=workshop.pk).update(seats_taken=workshop.seats_taken + 1)
    workshop.seats_taken += 1
    return Registration.objects.create(
        workshop=workshop, first_name="Jean", phone=f"+3361{number:07d}"
    )


def test_opposite_moves_at_the_same_instant_both_go_through(two_workshops):
    morning, afternoon = two_workshops
    claire, claudine = make_coordinator("claire"), make_coordinator("claudine")
    for round_number in range(ROUNDS):
        marcel = registered(morning, 2 * round_number)
        odette = registered(afternoon, 2 * round_number + 1)

        outcomes = run_at_once(
            [
                attempt(
                    lambda m=marcel: (
                        registration_move(
                            registration=m, to_workshop=afternoon, by=claire, notify=False
                        )
                        and "moved"
                    )
                ),
                attempt(
                    lambda o=odette: (
                        registration_move(
                            registration=o, to_workshop=morning, by=claudine, notify=False
                        )
                        and "moved"
                    )
                ),
            ]
        )

        assert outcomes == ["moved", "moved"]
        assert seats_right(morning, afternoon)
        morning.refresh_from_db(), afternoon.refresh_from_db()


def test_a_resident_cancelling_while_being_moved_waits_instead_of_failing(two_workshops):
    morning, afternoon = two_workshops
    claudine = make_coordinator("claudine")
    for round_number in range(ROUNDS):
        marcel = registered(morning, round_number)

        outcomes = run_at_once(
            [
                attempt(
                    lambda m=marcel: (
                        registration_move(
                            registration=m, to_workshop=afternoon, by=claudine, notify=False
                        )
                        and "moved"
                    )
                ),
                attempt(
                    lambda m=marcel: (
                        registration_cancel(
                            registration=Registration.objects.get(pk=m.pk), notify=False
                        )
                        is not None
                        and "cancelled"
                    )
                ),
            ]
        )

        assert not [outcome for outcome in outcomes if outcome.startswith("crash")], outcomes
        assert seats_right(morning, afternoon)
        morning.refresh_from_db(), afternoon.refresh_from_db()
