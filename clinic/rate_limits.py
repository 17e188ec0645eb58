"""Limits on requests that send e-mail (sign-in links, password resets), counted in the cache
(shared by every web process with REDIS_URL): per e-mail address, so nobody's inbox can be
flooded, and per client address (NUM_PROXIES decides it), so one client cannot walk through
many addresses. Keys hold a keyed hash, never the address itself."""

from django.conf import settings
from django.core.cache import cache

from clinic.client_address import client_address
from clinic.log_privacy import pseudonym


def _allow(scope: str, key: str, *, limit: int) -> bool:
    """Count one request for (scope, key); False once more than `limit` fell in the window
    that the first of them opened."""
    cache_key = f"rate:{scope}:{key}"
    window = int(settings.EMAIL_LINK_WINDOW.total_seconds())
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        return limit >= 1
    return count <= limit


def client_may_request_email(request, scope: str) -> bool:
    address = client_address(request) or "unknown"
    return _allow(
        f"{scope}:client",
        pseudonym(address, kind="ip"),
        limit=settings.EMAIL_LINK_LIMIT_PER_CLIENT,
    )


def address_may_receive_email(email: str, scope: str) -> bool:
    return _allow(
        f"{scope}:email",
        pseudonym(email, kind="email"),
        limit=settings.EMAIL_LINK_LIMIT_PER_ADDRESS,
    )
