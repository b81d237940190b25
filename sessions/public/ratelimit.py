"""A fixed-window rate limit per client, on the shared cache (Redis in production).

The count is atomic (one MULTI on Redis, `add` then `incr` on the local-memory cache), so two
workers never read the same count; a per-process cache would undercount (see DESIGN.md).
A client is its IPv4 address or its IPv6 /64 network (mediation.clients).

When the cache cannot be reached, the limit fails open: the request goes through and a
warning is logged (at most once a minute per process). Refusing every resident because
Redis is down would turn a cache outage into a site outage; the limits come back with Redis.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.http import HttpRequest

from mediation.cache import cache_count
from mediation.clients import client_address, client_network

__all__ = ["client_address", "client_network", "contact_rate_limit_allows", "rate_limit_allows"]

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 60
_last_warning = 0.0


def _warn_fail_open(scope: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL_SECONDS:
        _last_warning = now
        logger.warning(
            "Rate limit %r not enforced: the cache is unavailable (%s)",
            scope,
            error.__class__.__name__,
        )


def _within(scope: str, who: str, *, limit: int, window: int) -> bool:
    """Count one more for `who` in the current window of `scope`; False past `limit`."""
    bucket = int(time.time() // window)
    try:
        count = cache_count(cache, f"ratelimit:{scope}:{who}:{bucket}", timeout=window)
    except Exception as error:  # any cache failure: fail open, logged
        _warn_fail_open(scope, error)
        return True
    return count <= limit


def rate_limit_allows(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count this request; False once the client made more than `limit` in `window` seconds."""
    return _within(scope, client_network(request), limit=limit, window=window)


def contact_rate_limit_allows(*, scope: str, contact: str, limit: int, window: int) -> bool:
    """Count a message to `contact` (a phone number or an e-mail, normalised); False once it
    was asked for more than `limit` times in `window` seconds, from whatever address.

    The per-client limit alone lets a stranger with a few addresses make the site text or
    mail a victim over and over. The cache key holds a digest, never the contact itself.
    """
    digest = hashlib.sha256(contact.encode()).hexdigest()[:32]
    return _within(scope, f"contact:{digest}", limit=limit, window=window)
