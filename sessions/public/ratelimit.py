"""A fixed-window rate limit per client address, on the shared cache (Redis in production).

`cache.add` then `cache.incr` are atomic on Redis and on the local-memory cache, so two
workers never read the same count; a per-process cache would undercount (see DESIGN.md).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted reverse proxy saw when it is configured.

    With `RATE_LIMIT_PROXY_COUNT = n` (n reverse proxies in front of the site), the n-th
    address from the right of X-Forwarded-For is the client's; anything further left is
    what the client claims and cannot be trusted.
    """
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limit_allows(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count this request; False once the address made more than `limit` in `window` seconds."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_address(request)}:{bucket}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this request opens a new window.
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
