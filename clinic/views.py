"""Home, health check, and the account flows: invitations and one-time sign-in links."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.audit import record_event
from clinic.forms import AcceptInvitationForm, SignInLinkRequestForm
from clinic.models import AuditAction, Role, UserSession
from clinic.rate_limits import address_may_receive_email, client_may_request_email
from clinic.services import (
    LinkError,
    NewAccount,
    invitation_accept,
    invitation_from_token,
    sign_in_link_user,
    sign_out_everywhere,
)
from clinic.site import site_url
from clinic.tasks import send_password_reset, send_sign_in_link

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


TOO_MANY_REQUESTS = gettext_lazy(
    "Too many requests came from your network. Please wait %(minutes)d minutes and try again."
)


def _refuse_too_many(form):
    minutes = int(settings.EMAIL_LINK_WINDOW.total_seconds() // 60)
    form.add_error(None, TOO_MANY_REQUESTS % {"minutes": minutes})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link_request(request):
    """Ask for a sign-in link. The e-mail goes out from the task queue, so the answer is the
    same, and as quick, whether or not the address has an account."""
    form = SignInLinkRequestForm(request.POST or None)
    if request.method == "POST":
        if not client_may_request_email(request, "sign_in_link"):
            form.is_valid()
            _refuse_too_many(form)
            return render(
                request, "registration/sign_in_link_request.html", {"form": form}, status=429
            )
        if form.is_valid():
            email = form.cleaned_data["email"]
            if address_may_receive_email(email, "sign_in_link"):
                send_sign_in_link(email, site_url(request))
            return redirect("sign_in_link_sent")
    return render(
        request,
        "registration/sign_in_link_request.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, limited like the sign-in link and sending from the task queue."""

    def post(self, request, *args, **kwargs):
        if not client_may_request_email(request, "password_reset"):
            form = self.get_form()
            form.is_valid()
            _refuse_too_many(form)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if address_may_receive_email(email, "password_reset"):
            send_password_reset(email, site_url(self.request))
        return redirect(self.get_success_url())


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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_sessions(request):
    """Where the person is signed in (browsers and apps), and "Sign out everywhere"."""
    if request.method == "POST":
        record_event(action=AuditAction.ACCESS, request=request, detail="signed out everywhere")
        sign_out_everywhere(user=request.user)
        logout(request)
        messages.success(request, _("You are signed out everywhere: every browser and app."))
        return redirect("login")
    now = timezone.now()
    other_browsers = (
        UserSession.objects.filter(user=request.user, expire_date__gt=now)
        .exclude(session_key=request.session.session_key)
        .count()
    )
    apps = (
        request.user.auth_token_set.exclude(expiry__lt=now)
        .order_by("-created")
        .values("created", "expiry")
    )
    return render(
        request,
        "registration/account_sessions.html",
        {"other_browsers": other_browsers, "apps": list(apps)},
    )
