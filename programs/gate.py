"""The disclaimer gate: a patient accepts the clinic's current medical disclaimer before any
other portal page (or API call) answers.

One rule, three entry points:
- `has_accepted_current_disclaimer(patient)` answers the question (use it anywhere);
- `disclaimer_required` guards portal views (it includes `patient_required`);
- `DisclaimerAccepted` is the same rule as a DRF permission class, for the API.

The current version is `exercises.selectors.disclaimer_current(kind=medical)`: the clinic's
newest published version, else the newest default. Publishing a new version makes every
patient accept again, because acceptances name the exact version. With no medical disclaimer
published at all there is nothing to accept and the gate stays open.
"""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from clinic.models import Patient
from clinic.permissions import patient_required
from exercises.models import Disclaimer, DisclaimerKind
from exercises.selectors import disclaimer_current
from programs.models import DisclaimerAcceptance


def current_medical_disclaimer(clinic) -> Disclaimer | None:
    """The medical disclaimer the clinic's patients must accept now (None if none is published)."""
    return disclaimer_current(clinic=clinic, kind=DisclaimerKind.MEDICAL)


def has_accepted_current_disclaimer(patient: Patient) -> bool:
    """True when `patient` has accepted their clinic's current medical disclaimer version, or
    when the clinic has none to accept. Two small queries."""
    current = current_medical_disclaimer(patient.clinic_id)
    if current is None:
        return True
    return DisclaimerAcceptance.objects.filter(patient=patient, disclaimer=current).exists()


def patient_for_request(request) -> Patient:
    """The signed-in patient's Patient row (cached on the request), or 404."""
    patient = getattr(request, "patient", None)
    if patient is None:
        patient = get_object_or_404(
            Patient.objects.for_user(request.user).select_related("clinic", "primary_therapist")
        )
        request.patient = patient
    return patient


def disclaimer_required(view):
    """Patients only, and only once the current medical disclaimer is accepted: otherwise a
    redirect to the disclaimer page, which comes back to this page (`next`) after accepting.
    Sets `request.patient`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        patient = patient_for_request(request)
        if not has_accepted_current_disclaimer(patient):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('portal_disclaimer')}?{query}")
        return view(request, *args, **kwargs)

    return patient_required(wrapper)


class DisclaimerAccepted(BasePermission):
    """DRF: patients must have accepted the current medical disclaimer; staff pass through
    (combine with the API's own role and tenant checks)."""

    message = _("Please read and accept the current medical disclaimer in the portal first.")

    def has_permission(self, request, view):
        user = request.user
        if not (getattr(user, "is_authenticated", False) and user.is_patient):
            return True
        patient = Patient.objects.for_user(user).first()
        return patient is not None and has_accepted_current_disclaimer(patient)
