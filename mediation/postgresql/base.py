"""Django's PostgreSQL backend with a health check that costs no round trip.

With persistent connections (`CONN_MAX_AGE`) and `CONN_HEALTH_CHECKS`, Django checks a reused
connection at the first query of every request by sending `SELECT 1` and waiting for its
answer: about 100 µs on loopback plus the server's CPU, paid by every page and sign-up
(1 to 3 % of an uncached page, docs/benchmarks.md).

A connection that the server has closed (a restart, `pg_terminate_backend`, an idle timeout)
shows it on its socket: the server sends its error and closes, so the socket becomes
readable. An idle connection that nobody has closed has nothing to read. So the check first
asks the kernel, without waiting, whether the socket has anything to read: nothing, and the
connection is idle and open on psycopg's side, means usable. Anything to read (a closing
message, but also a notice or a changed server setting) falls back to Django's own `SELECT
1`, which reads it and decides. So a closed connection is still replaced before the request
uses it, as with Django's check (tests/mediation/test_db_health_check.py terminates one).

Django's real check is kept everywhere else: after an error in a request
(`close_if_unusable_or_obsolete`) and with psycopg's pool (which checks its own).
"""

import select

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import is_psycopg3

# Not on Windows (no poll) nor with psycopg2: Django's own check there.
_POLL = getattr(select, "poll", None) if is_psycopg3 else None


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            _POLL is None
            or self.pool
            or self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return super().close_if_health_check_failed()
        if not self._has_nothing_to_read() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def _has_nothing_to_read(self) -> bool:
        """True when the connection is open and idle and its socket has nothing to read."""
        connection = self.connection
        try:
            if connection.closed or connection.broken:
                return False
            if connection.info.transaction_status != base.Database.pq.TransactionStatus.IDLE:
                return False
            poll = _POLL()
            poll.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poll.poll(0)
        except (OSError, ValueError, base.Database.Error):
            return False
