"""Pages of two-step sign-in: set up the authenticator app, the recovery codes, the code asked
after the password, and an admin's reset of a colleague's lost device (team page)."""

from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from clinic.forms import add_service_errors
from clinic.models import User
from clinic.permissions import admin_required, get_for_user
from clinic.two_step.forms import CodeForm, SetupForm
from clinic.two_step.services import (
    SESSION_KEY,
    Step,
    can_use_two_step,
    recovery_code_notice,
    recovery_codes_create,
    recovery_codes_left,
    secret_for_manual_entry,
    setup_device,
    setup_key_new,
    two_step_enabled,
    two_step_enrol,
    two_step_required,
    two_step_reset,
    two_step_state,
    two_step_verify,
)
from clinic.views import home_url_for

SETUP_KEY_SESSION_KEY = "two_step_setup_key"
NEW_CODES_SESSION_KEY = "two_step_new_codes"


def two_step_user_required(view):
    """Staff and platform staff; anonymous visitors sign in first, patients get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_two_step(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return home_url_for(request.user)


def _with_next(url: str, request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next")
    if not next_url:
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def _pending(request) -> bool:
    """Whether this session still owes the second step (the page then hides the menu, whose
    links would all lead back here)."""
    step = request.session.get(SESSION_KEY)
    return step in (Step.VERIFY, Step.ENROL) and not request.user.is_verified()


def _qr_svg(data: str):
    code = segno.make(data, error="m")
    return mark_safe(  # noqa: S308 - segno builds the markup; the only text is escaped
        code.svg_inline(scale=4, title=_("QR code for your authenticator app"), svgclass="qr")
    )


@never_cache
@two_step_user_required
@require_GET
def overview(request):
    user = request.user
    return render(
        request,
        "two_step/overview.html",
        {
            "enabled": two_step_enabled(user),
            "required": two_step_required(user),
            "codes_left": recovery_codes_left(user),
        },
    )


@never_cache
@two_step_user_required
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    if two_step_enabled(user) and not user.is_verified():
        # Replacing the app needs the current one first: a stolen password is not enough.
        return redirect(_with_next(reverse("two_step_verify"), request))
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = request.session[SETUP_KEY_SESSION_KEY] = setup_key_new()
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_step_enrol(
                user=user, key=key, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            del request.session[SETUP_KEY_SESSION_KEY]
            request.session.cycle_key()
            otp_login(request, device)
            request.session[SESSION_KEY] = str(Step.VERIFY)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-step sign-in is on."))
            return redirect(_with_next(reverse("two_step_codes"), request))
    return render(
        request,
        "two_step/setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(setup_device(user=user, key=key).config_url),
            "secret": secret_for_manual_entry(key),
            "replacing": two_step_enabled(user),
            "required": two_step_required(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "two_step_pending": _pending(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@two_step_user_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_step_enabled(user):
        # Reset by an admin meanwhile, or nothing to verify: decide again.
        step = two_step_state(user)
        request.session[SESSION_KEY] = str(step)
        if step == Step.ENROL:
            return redirect(_with_next(reverse("two_step_setup"), request))
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step_verify(user=user, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, recovery_code_notice(user))
            return redirect(_next_url(request))
    return render(
        request,
        "two_step/verify.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "two_step_pending": _pending(request),
        },
        status=400 if form.errors else 200,
    )


def _new_codes(request) -> list[str] | None:
    return request.session.get(NEW_CODES_SESSION_KEY)


@never_cache
@two_step_user_required
@require_http_methods(["GET", "POST"])
def codes(request):
    """The new recovery codes, shown until the user says they are saved, then never again."""
    if request.method == "POST":
        request.session.pop(NEW_CODES_SESSION_KEY, None)
        return redirect(_next_url(request) if request.POST.get("next") else "two_step")
    new_codes = _new_codes(request)
    if not new_codes:
        messages.info(
            request,
            _("Recovery codes are shown only once. Make new ones if you have lost them."),
        )
        return redirect("two_step")
    return render(
        request,
        "two_step/codes.html",
        {"codes": new_codes, "next": request.GET.get("next", "")},
    )


@never_cache
@two_step_user_required
@require_GET
def codes_download(request):
    new_codes = _new_codes(request)
    if not new_codes:
        return redirect("two_step_codes")
    text = "\n".join(
        [
            _("Recovery codes for %(email)s. Each works once.") % {"email": request.user.email},
            "",
            *new_codes,
            "",
        ]
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@never_cache
@two_step_user_required
@require_POST
def codes_regenerate(request):
    user = request.user
    if not (two_step_enabled(user) and user.is_verified()):
        messages.error(request, _("Set up two-step sign-in first."))
        return redirect("two_step")
    request.session[NEW_CODES_SESSION_KEY] = recovery_codes_create(user=user, request=request)
    messages.success(request, _("New recovery codes made; the old ones no longer work."))
    return redirect("two_step_codes")


@admin_required
@require_POST
def reset(request, user_id: int):
    """Another admin of the clinic removes a member's two-step sign-in (a lost phone)."""
    member = get_for_user(User.objects.staff(), request.user, pk=user_id)
    try:
        two_step_reset(member=member, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Two-step sign-in of %(name)s is reset. They set it up again at their next sign-in.")
            % {"name": member},
        )
    return redirect("team")
