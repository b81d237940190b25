"""A persistent connection is checked at the start of each request without a round trip,
and a connection the server has closed is still replaced before the request uses it.

Each test plays what Django does around a request in production: the connection is kept
between requests (`CONN_MAX_AGE`), `request_started` marks it as not checked yet
(`close_if_unusable_or_obsolete`), and the request's first query checks it.
"""

import pytest
from django.conf import settings
from django.db import OperationalError, connections

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="The backend of mediation/postgresql is PostgreSQL's",
    ),
    # Outside a test transaction: a request meets an idle connection, not one inside BEGIN.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def kept_connection(monkeypatch):
    """The default connection, open and kept between requests, with health checks on."""
    connection = connections["default"]  # the wrapper itself, not django.db's proxy to it
    connection.ensure_connection()
    monkeypatch.setattr(connection, "close_at", None)
    monkeypatch.setattr(connection, "health_check_enabled", True)
    yield connection
    connection.close()


@pytest.fixture
def round_trip_checks(monkeypatch, kept_connection):
    """Each time Django's own check (`SELECT 1`, a round trip to the server) runs."""
    calls = []
    own_check = type(kept_connection).is_usable

    def is_usable(self):
        calls.append(self.alias)
        return own_check(self)

    monkeypatch.setattr(type(kept_connection), "is_usable", is_usable)
    return calls


def backend_pid() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request(conn) -> None:
    """What request_started does to a kept connection (close_old_connections)."""
    conn.close_if_unusable_or_obsolete()


def other_connection():
    """A second connection to the same database, as another worker or the administrator."""
    return connections.create_connection("default")


def test_the_settings_choose_this_backend():
    assert connections["default"].vendor == "postgresql"
    assert type(connections["default"]).__module__ == "mediation.postgresql.base"


def test_a_healthy_kept_connection_is_reused_without_a_round_trip(round_trip_checks):
    pid = backend_pid()
    for _ in range(3):
        next_request(connections["default"])
        assert backend_pid() == pid
    assert round_trip_checks == []


def test_a_connection_closed_by_the_server_is_replaced_before_the_request_uses_it(
    round_trip_checks,
):
    pid = backend_pid()
    administrator = other_connection()
    try:
        with administrator.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        administrator.close()
    next_request(connections["default"])
    # The request's first query works, on a new connection: no error reaches the resident.
    assert backend_pid() != pid
    # The socket showed the server's goodbye, so the check asked the server to be sure.
    assert round_trip_checks == ["default"]


def test_without_a_check_the_same_closed_connection_fails_the_request(kept_connection):
    """The control: the case above is a real failure that the check prevents."""
    kept_connection.health_check_enabled = False
    pid = backend_pid()
    administrator = other_connection()
    try:
        with administrator.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        administrator.close()
    next_request(connections["default"])
    with pytest.raises(OperationalError):
        backend_pid()


def test_something_else_to_read_falls_back_to_the_server_and_keeps_the_connection(
    round_trip_checks,
):
    """A notification waiting on the socket is not a closed connection: asked, the server
    answers, and the connection is kept."""
    with connections["default"].cursor() as cursor:
        cursor.execute("LISTEN mediation_health_check")
    pid = backend_pid()
    sender = other_connection()
    try:
        with sender.cursor() as cursor:
            cursor.execute("NOTIFY mediation_health_check")
    finally:
        sender.close()
    next_request(connections["default"])
    assert backend_pid() == pid
    assert round_trip_checks == ["default"]
