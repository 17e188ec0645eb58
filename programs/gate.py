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
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
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


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _return_path(request) -> str:
    """Where to come back to: this page for a GET; for htmx, the page the request came from
    (the POST endpoint itself cannot be opened); otherwise today's page."""
    if request.method == "GET":
        return request.get_full_path()
    if _is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path.startswith("/portal/") and current.netloc in ("", request.get_host()):
            return current.path + (f"?{current.query}" if current.query else "")
    return reverse("portal_home")


def _redirect(request, url: str):
    """A redirect that htmx follows as a whole-page visit instead of swapping the target page
    into a fragment of the current one."""
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def disclaimer_required(view):
    """Patients only, and only once the current medical disclaimer is accepted: otherwise a
    redirect to the disclaimer page, which comes back to this page (`next`) after accepting.
    Includes `patient_required`; htmx requests get an HX-Redirect. Sets `request.patient`."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        patient = patient_for_request(request)
        if not has_accepted_current_disclaimer(patient):
            query = urlencode({"next": _return_path(request)})
            return _redirect(request, f"{reverse('portal_disclaimer')}?{query}")
        return view(request, *args, **kwargs)

    checked = patient_required(gated)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _is_htmx(request) and not request.user.is_authenticated:
            # A session that ran out while the page was open: sign in again, then come back.
            query = urlencode({"next": _return_path(request)})
            return _redirect(request, f"{resolve_url(settings.LOGIN_URL)}?{query}")
        return checked(request, *args, **kwargs)

    return wrapper


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
