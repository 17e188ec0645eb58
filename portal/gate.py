"""The portal's gate: a signed-in, active patient who has accepted the clinic's current medical
disclaimer, before any other portal page answers.

- `patient_for_request(request)` is the signed-in patient's row (None when the clinic closed it);
- `has_accepted_current_disclaimer(patient)` answers the disclaimer question;
- `disclaimer_required` guards portal views with both (the API's permission classes in
  api/permissions.py ask the same two functions).

Acceptances name the exact version, so publishing a new version makes every patient accept
again. With no medical disclaimer published at all there is nothing to accept.
"""

from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import BooleanField, Exists, OuterRef, Subquery
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from clinic import audit
from clinic.htmx import is_htmx, redirect_page
from clinic.models import Patient
from clinic.permissions import patient_required
from exercises.models import Disclaimer, DisclaimerKind
from exercises.selectors import disclaimer_current
from programs.models import DisclaimerAcceptance


def current_medical_disclaimer(clinic) -> Disclaimer | None:
    """The medical disclaimer the clinic's patients must accept now (None if none is published)."""
    return disclaimer_current(clinic=clinic, kind=DisclaimerKind.MEDICAL)


def _current_disclaimer_accepted(patient: Patient | None = None):
    """One row (none when the clinic has no medical disclaimer to accept): whether the patient
    accepted the current version. Without `patient`, a subquery of a Patient query."""
    if patient is None:  # the clinic one level out, the patient's row two levels out
        clinic, acceptance_clinic = OuterRef("clinic_id"), OuterRef(OuterRef("clinic_id"))
        acceptance_patient = OuterRef(OuterRef("pk"))
    else:
        clinic = acceptance_clinic = patient.clinic_id
        acceptance_patient = patient.pk
    accepted = DisclaimerAcceptance.objects.filter(
        clinic_id=acceptance_clinic, patient=acceptance_patient, disclaimer=OuterRef("pk")
    )
    return (
        Disclaimer.objects.in_force_for(clinic)
        .of_kind(DisclaimerKind.MEDICAL)
        .annotate(accepted=Exists(accepted))
        .values("accepted")[:1]
    )


def has_accepted_current_disclaimer(patient: Patient) -> bool:
    """True when `patient` has accepted their clinic's current medical disclaimer version, or
    when the clinic has none to accept. Every portal page asks: a patient row fetched by
    `patient_for_request` carries the answer (same query); otherwise one query."""
    if hasattr(patient, "accepted_current_disclaimer"):
        current = patient.accepted_current_disclaimer
    else:
        current = _current_disclaimer_accepted(patient).values_list("accepted", flat=True).first()
    return True if current is None else current


def patient_for_request(request) -> Patient | None:
    """The signed-in patient's own row, cached on the request; None once the clinic made the
    patient inactive (`Patient.objects.for_user` hides it). One query, which also answers
    `has_accepted_current_disclaimer` and gives the user their clinic (base.html names it)."""
    if not hasattr(request, "patient"):
        request.patient = (
            Patient.objects.for_user(request.user)
            .select_related("clinic", "primary_therapist")
            .annotate(
                accepted_current_disclaimer=Subquery(
                    _current_disclaimer_accepted(), output_field=BooleanField()
                )
            )
            .first()
        )
        if request.patient is not None:
            if request.user.clinic_id == request.patient.clinic_id:
                request.user.clinic = request.patient.clinic  # the same row, already loaded
            audit.note_read(request.patient)  # the patient reading their own data
    return request.patient


def _return_path(request) -> str:
    """Where to come back to: this page for a GET; for htmx, the page the request came from
    (the POST endpoint itself cannot be opened); otherwise today's page."""
    if request.method == "GET":
        return request.get_full_path()
    if is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path.startswith("/portal/") and current.netloc in ("", request.get_host()):
            return current.path + (f"?{current.query}" if current.query else "")
    return reverse("portal_home")


def _sign_in_again(request):
    query = urlencode({"next": _return_path(request)})
    return redirect_page(request, f"{resolve_url(settings.LOGIN_URL)}?{query}")


def patient_gate(view):
    """Patients only (see `patient_required`), and only while the clinic keeps them active:
    a patient the clinic made inactive is signed out. Sets `request.patient`."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if patient_for_request(request) is None:
            logout(request)
            messages.info(request, _("Your clinic has closed your account. Please contact them."))
            return redirect_page(request, resolve_url(settings.LOGIN_URL))
        return view(request, *args, **kwargs)

    checked = patient_required(gated)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_htmx(request) and not request.user.is_authenticated:
            # A session that ran out while the page was open: sign in again, then come back.
            return _sign_in_again(request)
        return checked(request, *args, **kwargs)

    return wrapper


def disclaimer_required(view):
    """`patient_gate`, then the current medical disclaimer: a patient who has not accepted it
    goes to the disclaimer page, which comes back here (`next`) after accepting."""

    @wraps(view)
    def accepted(request, *args, **kwargs):
        if not has_accepted_current_disclaimer(request.patient):
            query = urlencode({"next": _return_path(request)})
            return redirect_page(request, f"{reverse('portal_disclaimer')}?{query}")
        return view(request, *args, **kwargs)

    return patient_gate(accepted)
