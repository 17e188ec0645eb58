"""The client's address, decided once per request from one setting (NUM_PROXIES).

Behind N trusted proxies, each appends the address it saw to X-Forwarded-For, so the N-th
entry from the right is the client as the outermost trusted proxy saw it; anything further
left was written by the client and proves nothing. With NUM_PROXIES=0 (no proxy) the header
is ignored and REMOTE_ADDR is the client. DRF's throttles, django-axes' lockouts, the
sign-in-link and password-reset limits and the audit trail all read `request.client_ip`.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address_from(meta, num_proxies: int) -> str | None:
    remote = _valid_ip(meta.get("REMOTE_ADDR", "") or "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies <= 0 or not forwarded:
        return remote
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies: the outermost entry is still the one a proxy wrote.
    return _valid_ip(entries[-min(num_proxies, len(entries))]) or remote


def client_address(request) -> str | None:
    """`request.client_ip` when the middleware ran, otherwise worked out the same way (django-axes
    calls this as AXES_CLIENT_IP_CALLABLE; DRF's throttles through `api.throttling`)."""
    django_request = getattr(request, "_request", request)
    known = getattr(django_request, "client_ip", None)
    if known is not None:
        return known
    return client_address_from(django_request.META, settings.NUM_PROXIES)


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_address_from(request.META, settings.NUM_PROXIES)
        return self.get_response(request)
