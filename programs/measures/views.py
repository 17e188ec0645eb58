"""Staff pages for outcome measures: assign and stop on the patient's page, the clinic's list
of measures, and the CSV export of results (clinic admins; recorded in the audit trail)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.audit import record_event
from clinic.forms import add_service_errors
from clinic.models import AuditAction, Patient
from clinic.permissions import admin_required, get_for_user, staff_required
from programs.measures import selectors, services
from programs.measures.chart import score_chart
from programs.measures.forms import MeasureAssignForm
from programs.measures.models import Instrument, MeasureAssignment


def patient_measures_context(patient: Patient, clinic) -> dict:
    """What the patient page shows of measures: each one's results with a chart, and the
    form to assign another (three queries)."""
    series = selectors.patient_measure_series(patient)
    for one in series:
        one.chart = score_chart(one)
    return {
        "measure_series": series,
        "assign_form": MeasureAssignForm(clinic=clinic, initial={"starts_on": clinic.today()}),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def measure_assign(request, pk):
    patient = get_for_user(Patient, request.user, pk=pk)
    clinic = request.user.clinic
    form = MeasureAssignForm(
        request.POST or None, clinic=clinic, initial={"starts_on": clinic.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                patient=patient, assigned_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(measure)s is assigned to %(name)s.")
                % {"measure": assignment.instrument.short_name, "name": patient.full_name},
            )
            return redirect(f"{patient.get_absolute_url()}#measures-heading")
    return render(
        request,
        "programs/measure_assign.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def measure_stop(request, pk):
    assignment = get_for_user(
        MeasureAssignment.objects.select_related("patient", "instrument"), request.user, pk=pk
    )
    try:
        services.assignment_stop(assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.info(request, message)
    else:
        messages.success(
            request,
            _("%(measure)s is no longer asked.") % {"measure": assignment.instrument.short_name},
        )
    return redirect(f"{assignment.patient.get_absolute_url()}#measures-heading")


@staff_required
@require_GET
def measure_list(request):
    instruments = Instrument.objects.for_user(request.user).current().order_by("short_name", "pk")
    return render(request, "programs/measure_list.html", {"instruments": instruments})


class _Echo:
    def write(self, value):
        return value


EXPORT_HEADER = ["patient_id", "patient", "measure", "version", "answered_on", "score"]


@admin_required
@require_GET
def measure_export(request):
    """Every sent answer of the clinic as CSV (patient, measure, date, score); recorded."""
    rows = selectors.clinic_results_for_export(request.user.clinic_id)
    record_event(action=AuditAction.EXPORT, request=request, detail="outcome measure results (CSV)")
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(EXPORT_HEADER)
        for response in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    response.patient_id,
                    _csv_safe(response.patient.full_name),
                    response.instrument.short_name,
                    response.instrument.version,
                    response.answered_on.isoformat(),
                    "" if response.score is None else response.score,
                ]
            )

    result = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    result["Content-Disposition"] = 'attachment; filename="outcome-measures.csv"'
    return result


def _csv_safe(text: str) -> str:
    """A name starting with = + - @ would run as a formula in a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
