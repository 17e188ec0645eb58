"""Clinic admins read their clinic's audit trail (clinic/audit.py) and export it as CSV.

Pages go backwards in time with a cursor (the time and id of the last line shown), never with
OFFSET or COUNT, so a page costs the same whatever the size of the trail: the index on
(clinic, -created_at) finds the next lines directly.
"""

import csv
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clinic import audit
from clinic.forms import AuditFilterForm
from clinic.models import AuditEvent, Patient, User
from clinic.permissions import admin_required

EVENTS_PER_PAGE = 50


def _filtered_events(request, form: AuditFilterForm):
    clinic = request.user.clinic
    events = AuditEvent.objects.for_user(request.user).select_related("actor", "patient")
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["patient"]:
        events = events.filter(
            patient__in=Patient.objects.for_clinic(clinic).search(data["patient"])
        )
    if data["person"]:
        people = User.objects.all()
        for word in data["person"].split():
            people = people.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        # Platform staff who opened this clinic's data are in its trail too, without a clinic.
        events = events.filter(actor__in=people.filter(Q(clinic=clinic) | Q(clinic=None)))
    if data["date_from"]:
        start = datetime.combine(data["date_from"], time.min, tzinfo=clinic.zone)
        events = events.filter(created_at__gte=start)
    if data["date_to"]:
        end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tzinfo=clinic.zone)
        events = events.filter(created_at__lt=end)
    return events


def _cursor(event: AuditEvent) -> str:
    return f"{event.created_at.isoformat()}_{event.pk}"


def _before(events, cursor: str):
    """The lines older than the cursor; a cursor that does not parse starts at the newest."""
    moment, _sep, pk = cursor.rpartition("_")
    when = parse_datetime(moment) if moment else None
    if when is None or not pk.isdigit():
        return events
    return events.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=int(pk)))


@admin_required
@require_GET
def audit_trail(request):
    form = AuditFilterForm(request.GET or None)
    if request.GET.get("format") == "csv":
        return _audit_csv(request, form)
    events = _filtered_events(request, form).order_by("-created_at", "-pk")
    events = _before(events, request.GET.get("before", ""))
    lines = list(events[: EVENTS_PER_PAGE + 1])
    has_older = len(lines) > EVENTS_PER_PAGE
    lines = lines[:EVENTS_PER_PAGE]
    older = request.GET.copy()
    older.pop("before", None)
    if has_older:
        older["before"] = _cursor(lines[-1])
    csv_query = request.GET.copy()
    csv_query.pop("before", None)
    csv_query["format"] = "csv"
    audit.note_list(AuditEvent, detail="audit trail")
    return render(
        request,
        "clinic/audit.html",
        {
            "form": form,
            "events": lines,
            "older_query": older.urlencode() if has_older else "",
            "csv_query": csv_query.urlencode(),
            "zone": request.user.clinic.zone,
        },
        status=400 if form.errors else 200,
    )


class _Echo:
    def write(self, value):
        return value


def _audit_csv(request, form):
    """The filtered trail as CSV, streamed (a year of lines never sits in memory). The export
    is itself a line in the trail."""
    events = _filtered_events(request, form).order_by("-created_at", "-pk")
    zone = request.user.clinic.zone
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            [
                _("time"),
                _("who"),
                _("role"),
                _("action"),
                _("object type"),
                _("object id"),
                _("patient id"),
                _("patient"),
                _("client address"),
                _("address"),
                _("detail"),
            ]
        )
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(event.created_at, zone).isoformat(),
                    event.actor.email if event.actor else "",
                    event.actor_role,
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.patient_id or "",
                    event.patient.full_name if event.patient else "",
                    event.ip or "",
                    event.path,
                    event.detail,
                ]
            )

    audit.note_export(AuditEvent, detail="audit trail CSV")
    today = timezone.localdate(timezone=zone)
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{today}.csv"'
    return response
