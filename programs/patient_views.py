"""Therapists and clinic admins: the clinic's patients, their invitations, and what each
patient's programs and logs show (this page lives with the programs it shows)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic.forms import PatientForm, add_service_errors
from clinic.models import Invitation, Patient
from clinic.permissions import get_for_user, staff_required
from clinic.services import (
    invitation_send,
    patient_create,
    patient_invitation_create,
    patient_update,
)
from clinic.site import site_url
from programs.measures.views import patient_measures_context
from programs.selectors import (
    disclaimer_acceptance_status,
    patient_flag,
    patient_programs,
    patient_recent_logs,
    patients_for_list,
    with_disclaimer_status,
)

PATIENTS_PER_PAGE = 25


@staff_required
def patient_list(request):
    query = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("mine") == "1"
    patients = patients_for_list(
        Patient.objects.for_user(request.user)
        .active()
        .search(query)
        .select_related("primary_therapist", "user")
        .order_by("last_name", "first_name", "pk")
    )
    if mine:
        patients = patients.filter(primary_therapist=request.user)
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/patient_list.html",
        {"page": page, "query": query, "mine": mine},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def patient_add(request):
    clinic = request.user.clinic
    form = PatientForm(
        request.POST or None,
        clinic=clinic,
        initial={"primary_therapist": request.user if request.user.is_therapist else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            patient, invitation = patient_create(
                clinic=clinic, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            invitation_send(invitation=invitation, base_url=site_url(request))
            messages.success(
                request,
                _("%(name)s was added and an invitation was sent to %(email)s.")
                % {"name": patient.full_name, "email": patient.email},
            )
            return redirect(patient)
    return render(
        request, "programs/patient_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _patient_for(request, pk):
    return get_for_user(
        with_disclaimer_status(Patient.objects)
        .select_related("primary_therapist", "user")
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.order_by("-created_at"))
        ),
        request.user,
        pk=pk,
    )


@staff_required
def patient_detail(request, pk):
    patient = _patient_for(request, pk)
    return render(
        request,
        "programs/patient_detail.html",
        {
            "patient": patient,
            "latest_invitation": next(iter(patient.invitations.all()), None),
            "programs": patient_programs(patient),
            "recent_logs": patient_recent_logs(patient),
            # The user's clinic is the patient's (get_for_user) and the page header loads it anyway.
            "flag": patient_flag(patient, request.user.clinic.today()),
            "disclaimer_status": disclaimer_acceptance_status(patient),
            **patient_measures_context(patient, request.user.clinic),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def patient_edit(request, pk):
    patient = _patient_for(request, pk)
    form = PatientForm(request.POST or None, instance=patient, clinic=request.user.clinic)
    if patient.user_id:
        # The address is the patient's login now; they change it themselves.
        form.fields["email"].disabled = True
    if request.method == "POST" and form.is_valid():
        email_changed = "email" in form.changed_data
        try:
            patient_update(patient=Patient.objects.get(pk=patient.pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if email_changed:
                messages.warning(
                    request,
                    _(
                        "The address changed, so earlier invitation links stopped working. "
                        "Send a new invitation when you are ready."
                    ),
                )
            messages.success(request, _("Patient details saved."))
            return redirect(patient)
    return render(
        request,
        "programs/patient_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def patient_invitation_resend(request, pk):
    patient = _patient_for(request, pk)
    try:
        invitation = patient_invitation_create(patient=patient, invited_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.info(request, message)
        return redirect(patient)
    invitation_send(invitation=invitation, base_url=site_url(request))
    messages.success(
        request, _("A new invitation was sent to %(email)s.") % {"email": patient.email}
    )
    return redirect(patient)
