"""A persistent connection is checked at the start of each request without a round trip,
and a connection the server has closed is still replaced before the request uses it.

Each test plays what Django does around a request in production, on a connection of its own
(as a gunicorn worker has; the test's own connection sits inside the test's transaction): the
connection is kept between requests (`CONN_MAX_AGE`), `request_started` marks it as not
checked yet (`close_if_unusable_or_obsolete`), and the request's first query checks it.
"""

import select

import pytest
from django.db import OperationalError, connections

from tests.postgresql import postgresql_only

pytestmark = [
    *postgresql_only("The backend of mediation/postgresql is PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.fixture
def worker():
    """A worker's connection to the test database, open and kept between requests, with
    Django's health checks on."""
    connection = connections.create_connection("default")
    connection.ensure_connection()
    # Kept as CONN_MAX_AGE keeps it (connect() set the tests' own setting, 0: close after).
    connection.close_at = None
    connection.health_check_enabled = True
    yield connection
    connection.close()


@pytest.fixture
def round_trip_checks(monkeypatch, worker):
    """Each time Django's own check (`SELECT 1`, a round trip to the server) runs."""
    calls = []
    own_check = type(worker).is_usable

    def is_usable(self):
        calls.append(self.alias)
        return own_check(self)

    monkeypatch.setattr(type(worker), "is_usable", is_usable)
    return calls


def backend_pid(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request(connection) -> None:
    """What request_started does to a kept connection (close_old_connections)."""
    connection.close_if_unusable_or_obsolete()


def wait_for_the_server(connection) -> None:
    """Let the time between two requests pass: until what the server sent has arrived (a
    notification or a goodbye reaches this socket a moment after the other side's call)."""
    poll = select.poll()
    poll.register(connection.connection.fileno(), select.POLLIN)
    assert poll.poll(5000), "the server sent nothing within 5 seconds"


def terminated_by_the_administrator(connection) -> int:
    """The server ends `connection` (as a restart or an idle timeout would); its old pid."""
    pid = backend_pid(connection)
    with connections["default"].cursor() as cursor:
        # With a timeout (PostgreSQL 14 and later), the call waits until it has ended.
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
        assert cursor.fetchone() == (True,)
    wait_for_the_server(connection)
    return pid


def test_the_settings_choose_this_backend():
    assert connections["default"].vendor == "postgresql"
    assert type(connections["default"]).__module__ == "mediation.postgresql.base"


def test_a_healthy_kept_connection_is_reused_without_a_round_trip(worker, round_trip_checks):
    pid = backend_pid(worker)
    for _ in range(3):
        next_request(worker)
        assert backend_pid(worker) == pid
    assert round_trip_checks == []


def test_a_connection_closed_by_the_server_is_replaced_before_the_request_uses_it(
    worker, round_trip_checks
):
    pid = terminated_by_the_administrator(worker)
    next_request(worker)
    # The request's first query works, on a new connection: no error reaches the resident.
    assert backend_pid(worker) != pid
    # The socket showed the server's goodbye, so the check asked the server to be sure.
    assert round_trip_checks == ["default"]


def test_without_a_check_the_same_closed_connection_fails_the_request(worker):
    """The control: the case above is a real failure that the check prevents."""
    worker.health_check_enabled = False
    terminated_by_the_administrator(worker)
    next_request(worker)
    with pytest.raises(OperationalError):
        backend_pid(worker)


def test_something_else_to_read_falls_back_to_the_server_and_keeps_the_connection(
    worker, round_trip_checks
):
    """A notification waiting on the socket is not a closed connection: asked, the server
    answers, and the connection is kept."""
    with worker.cursor() as cursor:
        cursor.execute("LISTEN mediation_health_check")
    pid = backend_pid(worker)
    # From a connection outside the test's transaction, where NOTIFY would wait for a commit.
    sender = connections.create_connection("default")
    try:
        with sender.cursor() as cursor:
            cursor.execute("NOTIFY mediation_health_check")
    finally:
        sender.close()
    wait_for_the_server(worker)
    next_request(worker)
    assert backend_pid(worker) == pid
    assert round_trip_checks == ["default"]
