"""The live server's requests in flight, so that a test leaves none behind it."""

import threading
import time

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started


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
