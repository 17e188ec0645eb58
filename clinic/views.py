"""Home, health check, and the account flows: invitations and one-time sign-in links."""

from django.contrib import messages
from django.contrib.auth import login
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.forms import AcceptInvitationForm, SignInLinkRequestForm
from clinic.models import Role
from clinic.services import (
    LinkError,
    NewAccount,
    invitation_accept,
    invitation_from_token,
    sign_in_link_send,
    sign_in_link_user,
)
from clinic.site import site_url

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def home_url_for(user) -> str:
    """Where each role starts: clinic staff at the dashboard of who needs attention, patients
    in the portal, platform staff in the Django admin."""
    if user.is_superuser and user.clinic_id is None:
        return reverse("admin:index")
    if user.role in (Role.ADMIN, Role.THERAPIST):
        return reverse("dashboard")
    if user.role == Role.PATIENT:
        return reverse("portal_home")
    return reverse("login")


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(home_url_for(request.user))


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def link_problem(request, reason: str, *, kind: str) -> HttpResponse:
    """One clear page for every link that cannot be used (expired, used, tampered)."""
    return render(
        request,
        "registration/link_problem.html",
        {"reason": reason, "kind": kind},
        status={
            LinkError.EXPIRED: 410,
            LinkError.USED: 410,
            LinkError.ACCOUNT_EXISTS: 409,
        }.get(reason, 400),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token: str):
    try:
        invitation = invitation_from_token(token)
    except LinkError as error:
        return link_problem(request, error.reason, kind="invitation")

    form = AcceptInvitationForm(invitation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                account=NewAccount(
                    password=form.cleaned_data["new_password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                ),
            )
        except LinkError as error:
            return link_problem(request, error.reason, kind="invitation")
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(home_url_for(user))
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link_request(request):
    form = SignInLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_in_link_send(email=form.cleaned_data["email"], base_url=site_url(request))
        return redirect("sign_in_link_sent")
    return render(request, "registration/sign_in_link_request.html", {"form": form})


@require_GET
def sign_in_link_sent(request):
    return render(request, "registration/sign_in_link_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token: str):
    """GET only shows a button: mail scanners that open links must not use them up."""
    try:
        user = sign_in_link_user(token)
    except LinkError as error:
        return link_problem(request, error.reason, kind="sign_in_link")
    if request.method == "POST":
        login(request, user, backend=MODEL_BACKEND)
        return redirect(home_url_for(user))
    return render(request, "registration/sign_in_link_confirm.html", {"link_user": user})
