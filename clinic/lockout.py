"""How django-axes names the account a sign-in attempt is for, and what a lockout shows."""

from django.conf import settings
from django.shortcuts import render


def attempted_email(request, credentials: dict | None = None) -> str:
    """The address typed on the sign-in form, lower-cased.

    Addresses are case-insensitive at sign-in, so "Theo@x" and "theo@x" must share one counter.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    return (source.get("username") or source.get("email") or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out visitor sees: how long to wait and the ways in that still work."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
