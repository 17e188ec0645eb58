"""Clinic admins: their clinic's settings and team (staff invitations)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic.forms import AccessForm, ClinicSettingsForm, StaffInviteForm
from clinic.models import Invitation, Role, User
from clinic.permissions import admin_required, get_for_user
from clinic.services import access_set_active, invitation_create, invitation_send
from clinic.site import site_url
from clinic.two_step.services import with_two_step_enabled


@admin_required
@require_http_methods(["GET", "POST"])
def clinic_settings(request):
    clinic = request.user.clinic
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Clinic settings saved."))
        return redirect("clinic_settings")
    return render(
        request,
        "clinic/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def team(request):
    clinic = request.user.clinic
    form = StaffInviteForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        invitation = invitation_create(
            clinic=clinic,
            invited_by=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        invitation_send(invitation=invitation, base_url=site_url(request))
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("team")
    context = {
        "form": form,
        # Deactivated members too, so they can be reactivated.
        "members": with_two_step_enabled(
            User.objects.for_clinic(clinic)
            .filter(role__in=Role.staff_roles())
            .order_by("-is_active", "last_name", "first_name", "email")
        ),
        "pending": Invitation.objects.for_clinic(clinic)
        .pending()
        .filter(role__in=Role.staff_roles()),
    }
    return render(request, "clinic/team.html", context, status=400 if form.errors else 200)


def access_change(request, *, user=None, patient=None):
    """Apply the posted AccessForm through `access_set_active`; the outcome as a message.
    The team page and the patient page both use this."""
    form = AccessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to deactivate or reactivate."))
        return
    active = form.cleaned_data["active"]
    name = patient.full_name if patient is not None else (user.get_full_name() or user.email)
    try:
        access_set_active(
            actor=request.user, active=active, user=user, patient=patient, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return
    if active:
        messages.success(request, _("%(name)s can sign in again.") % {"name": name})
    else:
        messages.success(
            request,
            _("%(name)s can no longer sign in; they were signed out everywhere.") % {"name": name},
        )


@admin_required
@require_POST
def team_member_access(request, pk):
    member = get_for_user(User.objects.filter(role__in=Role.staff_roles()), request.user, pk=pk)
    access_change(request, user=member)
    return redirect("team")
