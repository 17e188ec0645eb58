"""Automatic logoff (HIPAA 164.312(a)(2)(iii)).

Clinic staff and platform staff are signed out after `STAFF_IDLE_TIMEOUT_MINUTES` without a
request (15 by default) and `STAFF_SESSION_MAX_HOURS` after signing in (12), whatever they do:
they work on shared clinic computers. The next request then goes to the sign-in page, which
brings them back to the page they asked for. Pages warn shortly before and offer "Stay signed
in" (static/js/session-timeout.js; the form works without JavaScript too).

Patients keep their session for `PATIENT_SESSION_DAYS` (30) after their last visit: they use
their own phone, they see only their own exercises, and signing in is the step patients of
such apps find hardest; many are older.

Activity is written to the session at most once a minute (`SESSION_ACTIVITY_WRITE_SECONDS`),
so an ordinary request does not write the session row.
"""

import time
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.htmx import is_htmx, redirect_page
from clinic.models import Role

LAST_ACTIVITY = "activity_at"
SIGNED_IN = "signed_in_at"


def is_staff_session(user) -> bool:
    """Who gets the short session: clinic staff and platform staff (everyone but patients)."""
    return user.is_authenticated and (user.role != Role.PATIENT or user.is_superuser)


def idle_timeout() -> timedelta:
    return timedelta(minutes=settings.STAFF_IDLE_TIMEOUT_MINUTES)


def absolute_timeout() -> timedelta:
    return timedelta(hours=settings.STAFF_SESSION_MAX_HOURS)


def _now() -> int:
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="session_started")
def _session_started(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return  # a sign-in that opened no session (an API token): nothing to time out
    session[SIGNED_IN] = session[LAST_ACTIVITY] = _now()
    if is_staff_session(user):
        session.set_expiry(int(absolute_timeout().total_seconds()))
    else:
        session.set_expiry(int(timedelta(days=settings.PATIENT_SESSION_DAYS).total_seconds()))


def _return_path(request) -> str:
    """The page to come back to after signing in again: this one for a GET, the page the form
    was on for anything else."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SessionTimeoutMiddleware:
    """Signs staff out once idle or too long signed in; records activity once a minute.

    Place after AuthenticationMiddleware. API calls with a token never have a session here
    (their tokens expire on their own terms)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        session = request.session
        now = _now()
        last = session.get(LAST_ACTIVITY, now)
        started = session.get(SIGNED_IN, now)
        if is_staff_session(user) and (
            now - last > idle_timeout().total_seconds()
            or now - started > absolute_timeout().total_seconds()
        ):
            back = _return_path(request)
            request.logout_reason = "automatic logoff"  # in the audit trail's sign-out line
            logout(request)
            if request.path.startswith("/api/"):
                return None  # the API answers 401 to the now anonymous request
            query = urlencode({"next": back})
            return redirect_page(request, f"{resolve_url(settings.LOGIN_URL)}?{query}")
        if SIGNED_IN not in session:
            session[SIGNED_IN] = started
        if now - last >= settings.SESSION_ACTIVITY_WRITE_SECONDS or LAST_ACTIVITY not in session:
            session[LAST_ACTIVITY] = now
        return None


def session_timeout(request):
    """Context processor: the timings the warning script needs, on staff pages only."""
    user = getattr(request, "user", None)
    if user is None or not is_staff_session(user):
        return {}
    return {
        "session_timeout": {
            "idle_seconds": int(idle_timeout().total_seconds()),
            "warn_seconds": settings.STAFF_IDLE_WARNING_SECONDS,
            "idle_minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES,
        }
    }


@require_POST
def session_keepalive(request):
    """ "Stay signed in": counts as activity now (the middleware already checked the session
    is still alive). Answers 204 to the page's script, or goes back to the page without it."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    request.session[LAST_ACTIVITY] = _now()
    if request.headers.get("Accept", "").startswith("application/json") or is_htmx(request):
        return HttpResponse(status=204)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect(back)
