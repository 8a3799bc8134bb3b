"""Who the client is: the one rule for the API and page throttles and the login lockout.

The address is the TCP peer (REMOTE_ADDR) unless that peer is a trusted proxy
(FORWARDED_ALLOW_IPS, the same variable gunicorn reads). Then X-Forwarded-For is read from the
right, skipping the addresses the API_NUM_PROXIES proxies appended: each proxy appends the
address it saw, so whatever a client wrote into the header itself sits further left and is
never read. A client that reaches gunicorn directly is not a trusted proxy: its header is
ignored.
"""

import ipaddress

from django.conf import settings


def parse_networks(value):
    """FORWARDED_ALLOW_IPS as networks ('*' is every address); ValueError names a bad entry."""
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        if entry == "*":
            networks += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return networks


def is_trusted_proxy(address):
    """True when the peer address is one of the trusted proxies."""
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request):
    """The client's IP address as a string (REMOTE_ADDR unless a trusted proxy forwarded it)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0 or not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Garbage where a proxy should have written an address: count it against the peer.
        return remote
