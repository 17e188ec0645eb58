"""Clinic admins: their clinic's settings and team (staff invitations)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinic.forms import ClinicSettingsForm, StaffInviteForm
from clinic.models import Invitation, Role, User
from clinic.permissions import admin_required
from clinic.services import invitation_create, invitation_send
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
        "members": with_two_step_enabled(User.objects.for_clinic(clinic).staff()),
        "pending": Invitation.objects.for_clinic(clinic)
        .pending()
        .filter(role__in=Role.staff_roles()),
    }
    return render(request, "clinic/team.html", context, status=400 if form.errors else 200)
