"""Therapists and clinic admins: the clinic's patients, their invitations, and what each
patient's programs and logs show (this page lives with the programs it shows)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic import audit
from clinic.forms import PatientForm, add_service_errors
from clinic.models import Invitation, Patient
from clinic.permissions import admin_required, get_for_user, staff_required
from clinic.services import (
    invitation_send,
    patient_create,
    patient_invitation_create,
    patient_update,
)
from clinic.site import site_url
from clinic.team_views import access_change
from programs import status
from programs.charts import charts_once, patient_charts
from programs.digest import digest_preference_of, digest_preference_update
from programs.measures.views import patient_measures_context
from programs.selectors import (
    PATIENT_ROWS_SECONDS,
    disclaimer_acceptance_status,
    patient_flag,
    patient_last_reminder,
    patient_programs,
    patient_recent_logs,
    patient_rows_stamp,
    patients_for_list,
    with_disclaimer_status,
)

PATIENTS_PER_PAGE = 25


# Sortable columns: the query parameter -> the ordering ("-" reverses; blanks go last).
PATIENT_SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "-name": ("-last_name", "-first_name", "-pk"),
    "activity": (F("last_activity").asc(nulls_first=True), "last_name", "pk"),
    "-activity": (F("last_activity").desc(nulls_last=True), "last_name", "pk"),
    "adherence7": (F("adherence_7").asc(nulls_last=True), "last_name", "pk"),
    "-adherence7": (F("adherence_7").desc(nulls_last=True), "last_name", "pk"),
    "adherence30": (F("adherence_30").asc(nulls_last=True), "last_name", "pk"),
    "-adherence30": (F("adherence_30").desc(nulls_last=True), "last_name", "pk"),
    # Most serious reason first; patients with nothing to see last.
    "attention": (F("attention_rank").asc(nulls_last=True), "last_name", "pk"),
    "-attention": (F("attention_rank").desc(nulls_first=True), "last_name", "pk"),
}
# Each sortable header: its key, and the sort a first click asks for.
SORTABLE_COLUMNS = (
    ("name", "name"),
    ("adherence7", "adherence7"),
    ("adherence30", "adherence30"),
    ("activity", "-activity"),
    ("attention", "attention"),
)


def _sortable_columns(sort: str) -> dict:
    """Per sortable column: the sort its header link asks for and its aria-sort state."""
    columns = {}
    for key, first in SORTABLE_COLUMNS:
        if sort.lstrip("-") == key:
            state = "descending" if sort.startswith("-") else "ascending"
            link = key if sort.startswith("-") else f"-{key}"
        else:
            state, link = "", first
        columns[key] = {"sort": link, "state": state}
    return columns


def _filters_query(query: str, mine: bool, deactivated: bool) -> str:
    """The list's filters as the start of a query string, for the sorting links."""
    params = {"q": query} if query else {}
    if mine:
        params["mine"] = "1"
    if deactivated:
        params["deactivated"] = "1"
    return urlencode(params) + "&" if params else ""


@staff_required
def patient_list(request):
    query = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("mine") == "1"
    deactivated = request.GET.get("deactivated") == "1"
    sort = request.GET.get("sort", "name")
    if sort not in PATIENT_SORTS:
        sort = "name"
    patients = patients_for_list(
        Patient.objects.for_user(request.user)
        .filter(is_active=not deactivated)
        .search(query)
        .select_related("primary_therapist", "user")
    ).order_by(*PATIENT_SORTS[sort])
    if mine:
        patients = patients.filter(primary_therapist=request.user)
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit.note_list(Patient)
    return render(
        request,
        "programs/patient_list.html",
        {
            "page": page,
            "query": query,
            "mine": mine,
            "sort": sort,
            "deactivated": deactivated,
            "columns": _sortable_columns(sort),
            "filters": _filters_query(query, mine, deactivated),
            "rows_stamp": patient_rows_stamp(page.object_list),
            "rows_seconds": PATIENT_ROWS_SECONDS,
        },
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
        .select_related("primary_therapist", "user", "status")
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.order_by("-created_at"))
        ),
        request.user,
        pk=pk,
    )


def _charts_version(patient, programs, today):
    status = getattr(patient, "status", None)
    if status is None:
        return None
    shown = [(p.pk, p.status, p.max_pain, p.updated_at) for p in programs]
    return ("patient", patient.pk, status.computed_at, today, shown)


@staff_required
def patient_detail(request, pk):
    patient = _patient_for(request, pk)
    programs = patient_programs(patient)
    today = request.user.clinic.today()
    return render(
        request,
        "programs/patient_detail.html",
        {
            "patient": patient,
            "latest_invitation": next(iter(patient.invitations.all()), None),
            "programs": programs,
            "charts": charts_once(
                _charts_version(patient, programs, today),
                lambda: patient_charts(patient, programs, today, request.user.clinic),
            ),
            "recent_logs": patient_recent_logs(patient),
            # The user's clinic is the patient's (get_for_user) and the page header loads it anyway.
            "flag": patient_flag(patient, today),
            "disclaimer_status": disclaimer_acceptance_status(patient),
            "last_reminder": patient_last_reminder(patient),
            "clinic_zone": request.user.clinic.timezone,
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
            status.patient_changed(patient)  # the primary therapist's dashboard
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


@admin_required
@require_POST
def patient_access(request, pk):
    """Clinic admins deactivate or reactivate a patient (clinic.services.access_set_active)."""
    patient = get_for_user(Patient.objects.select_related("user"), request.user, pk=pk)
    access_change(request, patient=patient)
    status.patient_changed(patient)  # a deactivated patient leaves the dashboard
    return redirect(patient)


class DigestSettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("E-mail me a daily digest of patients to look at"),
        required=False,
        help_text=_(
            "Sent at 07:00 when a patient of yours reported pain above the program's limit "
            "or felt worse the next morning. Nothing is sent on a quiet day."
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    preference = digest_preference_of(request.user)
    form = DigestSettingsForm(
        request.POST if request.method == "POST" else None, initial={"enabled": preference.enabled}
    )
    if request.method == "POST" and form.is_valid():
        digest_preference_update(therapist=request.user, enabled=form.cleaned_data["enabled"])
        messages.success(request, _("Your digest setting is saved."))
        return redirect("digest_settings")
    return render(request, "programs/digest_settings.html", {"form": form})
