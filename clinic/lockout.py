"""Sign-in throttling around django-axes.

Two limits, both keyed on the client address of `clinic.client_address` (NUM_PROXIES):

- per account and address (django-axes): AXES_FAILURE_LIMIT wrong passwords for one account
  from one address pause that pair for AXES_COOLOFF_TIME; the same account from elsewhere
  still signs in, so an attacker cannot lock a patient out everywhere;
- per address across accounts (password spraying): once SIGN_IN_ADDRESS_ACCOUNT_LIMIT
  different accounts failed from one address within SIGN_IN_ADDRESS_WINDOW, that address may
  not try further accounts until the oldest failures leave the window. Accounts that signed
  in successfully from the address before are not held back by this limit (only by their own
  per-account one), so an attacker sharing a clinic's address cannot lock the clinic out.
"""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from clinic.client_address import client_address

KNOWN_ADDRESS_DAYS = 90


def attempted_email(request, credentials: dict | None = None) -> str:
    """The address typed on the sign-in form, lower-cased.

    Addresses are case-insensitive at sign-in, so "Theo@x" and "theo@x" must share one counter.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    return (source.get("username") or source.get("email") or "").strip().lower()


def address_is_spraying(*, ip: str | None, email: str) -> bool:
    """Whether `ip` tried too many different accounts lately to try `email` now."""
    if not ip:
        return False
    now = timezone.now()
    accounts = (
        AccessAttempt.objects.filter(
            ip_address=ip, attempt_time__gte=now - settings.SIGN_IN_ADDRESS_WINDOW
        )
        .values("username")
        .distinct()
        .count()
    )
    if accounts < settings.SIGN_IN_ADDRESS_ACCOUNT_LIMIT:
        return False
    signed_in_here_before = AccessLog.objects.filter(
        ip_address=ip,
        username=email,
        attempt_time__gte=now - timedelta(days=KNOWN_ADDRESS_DAYS),
    ).exists()
    return not signed_in_here_before


class SignInGuardBackend(AxesStandaloneBackend):
    """django-axes' per-account check, then the per-address limit across accounts. A refusal
    takes axes' own path: its middleware shows the lockout page, the API answers 429."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        email = attempted_email(request, {"username": username} if username else None)
        if address_is_spraying(ip=client_address(request), email=email):
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many accounts tried from this address.")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out visitor sees: how long to wait and the ways in that still work."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
