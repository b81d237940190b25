"""Who is asking: the client's address, and the network it stands for in rate limits.

An IPv6 subscriber usually holds a whole /64 and can pick any address in it, so counting
IPv6 addresses one by one would give one client 2^64 budgets: every limit (the public rate
limits, django-axes' login throttling) counts an IPv6 client by its /64 network instead.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_PREFIX = 64


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


def client_network(request: HttpRequest) -> str:
    """The client's IPv4 address, or its IPv6 /64 network ("2001:db8:1:2::/64")."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return str(parsed)


def client_network_for_axes(request: HttpRequest, *args, **kwargs) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same grouping as the rate limits.

    Axes stores it in a GenericIPAddressField (an inet on PostgreSQL), so it must read as one
    address: an IPv6 /64 is written as its first address, and a request without any address
    (a login made in code) as 0.0.0.0.
    """
    network = client_network(request)
    if network.endswith(f"/{IPV6_PREFIX}"):
        return network.split("/")[0]
    try:
        ipaddress.ip_address(network)
    except ValueError:
        return "0.0.0.0"
    return network
