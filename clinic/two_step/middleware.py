"""Sends a signed-in user who still owes the second sign-in step to it before anything else.

The step owed is decided once, at sign-in (`remember_two_step_state`, on Django's
`user_logged_in`), and kept in the session, so ordinary requests cost no query.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from clinic.two_step.services import SESSION_KEY, Step, two_step_state

# Pages open before the second step (besides the two-step pages themselves).
ALWAYS_OPEN = ("logout", "healthz")


def remember_two_step_state(sender, request, user, **kwargs):
    """On every sign-in (password, link, invitation, admin): what this session still owes.
    Connected in ClinicConfig.ready()."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = str(two_step_state(user))


def _open_paths() -> set[str]:
    return {
        reverse("two_step_verify"),
        reverse("two_step_setup"),
        *(reverse(name) for name in ALWAYS_OPEN),
    }


class TwoStepMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if (
            step in (Step.VERIFY, Step.ENROL)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and request.path not in _open_paths()
        ):
            return self._second_step_first(request, step)
        return self.get_response(request)

    def _second_step_first(self, request, step):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _("Finish two-step sign-in on the website first."),
                    "code": "two_step_required",
                },
                status=403,
            )
        target = reverse("two_step_verify" if step == Step.VERIFY else "two_step_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
