"""The therapist's home page: who needs attention today, with the evidence, and "Mark
reviewed". Reads the stored statuses of the patients `for_user` gives (programs/status.py);
writes through the service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.models import Patient
from clinic.permissions import get_for_user, staff_required
from programs import services
from programs.attention import dashboard_scope
from programs.choices import AttentionKind
from programs.status import needing_attention

ROWS_PER_PAGE = 25


@staff_required
def dashboard(request):
    everyone = request.GET.get("scope") == "all"
    rows = needing_attention(
        dashboard_scope(request.user, everyone=everyone), clinic=request.user.clinic
    )
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/dashboard.html",
        {"page": page, "everyone": everyone, "total": page.paginator.count},
    )


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
