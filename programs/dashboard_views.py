"""The therapist's home page: who needs attention today, with the evidence, and "Mark
reviewed". Reads the stored statuses of the patients `for_user` gives (programs/status.py);
writes through the service."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.models import Patient
from clinic.permissions import get_for_user, staff_required
from programs import services
from programs.choices import AttentionKind
from programs.status import needing_attention

ROWS_PER_PAGE = 25
ROWS_SECONDS = 300  # a page's rendered rows are reused at most this long (see _rows_stamp)


@staff_required
def dashboard(request):
    everyone = request.GET.get("scope") == "all"
    rows = needing_attention(request.user, everyone=everyone)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "programs/dashboard.html",
        {
            "page": page,
            "everyone": everyone,
            "total": page.paginator.count,
            "rows_stamp": _rows_stamp(request, page.object_list),
            "rows_seconds": ROWS_SECONDS,
        },
    )


def _rows_stamp(request, rows) -> str:
    """A fingerprint of everything the rendered rows hold: each status's computed time (it
    changes with any of its reasons), the patient's name and therapist, the page's address
    (the forms' way back) and this browser's CSRF secret (the forms' tokens are only valid
    for it, so the rows are reused by this session alone)."""
    get_token(request)  # the secret exists (and its cookie goes out) before it is read
    secret = request.META.get("CSRF_COOKIE", "")
    parts = [
        get_language() or "",
        request.get_full_path(),
        hashlib.sha256(secret.encode()).hexdigest(),
    ]
    for row in rows:
        therapist = row.patient.primary_therapist
        parts.append(
            repr(
                (
                    row.patient_id,
                    row.computed_at.isoformat(),
                    row.patient.full_name,
                    str(therapist) if therapist else None,
                )
            )
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@staff_required
@require_POST
def attention_review(request, pk):
    patient = get_for_user(Patient, request.user, pk=pk)
    kind = request.POST.get("kind", "")
    if kind not in AttentionKind.values:
        return HttpResponseBadRequest(_("Unknown reason to mark as reviewed."))
    try:
        services.attention_review_record(patient=patient, kind=kind, reviewed_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Marked as reviewed for %(name)s: %(reason)s. It shows again when new data "
                "raises it."
            )
            % {"name": patient.full_name, "reason": AttentionKind(kind).label},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return redirect(back or "dashboard")
