"""The live server: its requests in flight, so that a test leaves none behind it, and one
request at a time on SQLite's shared in-memory database."""

import threading
import time

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.testcases import LiveServerThread


class _RequestsInFlight:
    """How many requests the live server's threads are handling, from request_started to
    request_finished. Both are sent with the WSGI handler's class as sender; the test
    client's are not counted (its streamed responses finish only when read, if ever)."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    @staticmethod
    def _from_a_server(sender) -> bool:
        return isinstance(sender, type) and issubclass(sender, WSGIHandler)

    def started(self, sender=None, **kwargs):
        if self._from_a_server(sender):
            with self._lock:
                self.count += 1

    def finished(self, sender=None, **kwargs):
        if self._from_a_server(sender):
            with self._lock:
                self.count -= 1


REQUESTS_IN_FLIGHT = _RequestsInFlight()
request_started.connect(REQUESTS_IN_FLIGHT.started, dispatch_uid="tests-requests-started")
request_finished.connect(REQUESTS_IN_FLIGHT.finished, dispatch_uid="tests-requests-finished")


def let_the_live_server_finish(timeout: float = 10.0) -> None:
    """Call once the browser context is closed, before the database is flushed.

    A request the live server is still handling (a tablet's sync sent just before the test
    ended) and the flush's TRUNCATE each wait for a lock the other holds: PostgreSQL
    breaks the deadlock after a second by failing the flush, the tables keep the test's
    rows, and the next test of that process fails on them (seen in CI, twice). A fixed
    pause was not enough under load (that sync took 1.4 s): wait until none is left.
    """
    time.sleep(0.1)  # a request already on its way reaches the server
    deadline = time.monotonic() + timeout
    while REQUESTS_IN_FLIGHT.count > 0 and time.monotonic() < deadline:
        time.sleep(0.05)


LONGEST_WAIT = 30  # seconds: three times a browser test's longest wait for a page


class _OneRequestAtATimeOnSqlite:
    """A WSGI application that lets one request at a time reach `application` while the
    database is SQLite's in-memory test database: from its call to the close of its
    response (a streamed export reads the database while it is sent)."""

    def __init__(self, application):
        self.application = application
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        # A response never closed (its client gone at the wrong moment) must not stop the
        # server for the rest of the run: past the wait, the request goes in unguarded.
        if not _on_in_memory_sqlite() or not self._lock.acquire(timeout=LONGEST_WAIT):
            return self.application(environ, start_response)
        try:
            response = self.application(environ, start_response)
        except BaseException:
            self._lock.release()
            raise
        return _ReleasedOnClose(response, self._lock)


def _on_in_memory_sqlite() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


class _ReleasedOnClose:
    """A response's iterable that releases the lock once the server has closed it (WSGI
    servers close every response, sent in full or not)."""

    def __init__(self, response, lock: threading.Lock):
        self._response = response
        self._lock = lock

    def __iter__(self):
        return iter(self._response)

    def close(self):
        try:
            if hasattr(self._response, "close"):
                self._response.close()
        finally:
            self._lock.release()


class SqliteSafeLiveServer(ThreadedWSGIServer):
    """The live server, taking its requests one at a time on SQLite's in-memory test
    database. pytest-django's live server starts before the test database exists, so its
    threads do not share the test's connection: each opens its own to the same shared-cache
    in-memory database, where two connections at once fail at once with "database table is
    locked" (SQLite's busy timeout does not apply there) or "bad parameter or other API
    misuse". A 500 that the tablet's page and its service worker, asking for the day at the
    same moment, met on a loaded machine. On PostgreSQL requests still run side by side."""

    def set_app(self, application):
        super().set_app(_OneRequestAtATimeOnSqlite(application))


def serve_one_request_at_a_time_on_sqlite() -> None:
    """Make SqliteSafeLiveServer the live server's class (pytest-django's live_server starts
    Django's LiveServerThread, which builds its server_class)."""
    LiveServerThread.server_class = SqliteSafeLiveServer
