"""Each patient's stored status (programs.models.PatientStatus), kept up to date so that the
patient list, the dashboard and the navigation's count read one row per patient instead of
recomputing adherence and reasons over the logs on every request.

- The services that change what a status is made of (logs, pain checks, programs and their
  items, reviews, answered questionnaires, the disclaimer a new patient accepts) call
  `patient_changed` in their transaction.
- Time alone changes some figures (the 7- and 30-day windows move at the clinic's midnight,
  an invitation turns 3 days old): each row says from when it is old (`stale_after`), and the
  periodic task `refresh_due_statuses` (programs/tasks.py) computes those rows again, the
  rows computed with another low-adherence threshold than the clinic's, and the rows of
  patients that have none yet, in batches of a fixed size. Changes made below this layer
  (a series' mastery rules, a patient's first sign-in) show at the latest the next day, or
  at the patient's next check-off or answer.

The rules themselves live in programs/attention.py; this module only stores their result.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clinic.models import Clinic, Patient
from programs.attention import compute_statuses
from programs.models import PatientStatus

BATCH = 500  # patients computed together: a fixed number of queries per batch

FIELDS = [
    "clinic",
    "as_of",
    "computed_at",
    "stale_after",
    "last_activity",
    "completed_7",
    "scheduled_7",
    "percent_7",
    "completed_30",
    "scheduled_30",
    "percent_30",
    "reason_data",
    "reason_count",
    "top_rank",
    "hidden_count",
    "adherence_threshold",
]


def _row(patient_id, computed, *, clinic: Clinic, today, now) -> PatientStatus:
    figures = {figure.days: figure for figure in computed.adherence}
    week, month = figures.get(7), figures.get(30)
    return PatientStatus(
        patient_id=patient_id,
        clinic=clinic,
        as_of=today,
        computed_at=now,
        stale_after=computed.stale_after,
        last_activity=computed.last_activity,
        completed_7=week.completed if week else 0,
        scheduled_7=week.scheduled if week else 0,
        percent_7=week.percent if week else None,
        completed_30=month.completed if month else 0,
        scheduled_30=month.scheduled if month else 0,
        percent_30=month.percent if month else None,
        reason_data=[reason.as_json() for reason in computed.reasons],
        reason_count=len(computed.reasons),
        top_rank=computed.reasons[0].rank if computed.reasons else None,
        hidden_count=computed.hidden,
        adherence_threshold=clinic.low_adherence_below,
    )


def refresh(patient_ids, *, clinic: Clinic, today=None, now: datetime | None = None) -> int:
    """Compute and store the status of these patients of `clinic` (any number: in batches)."""
    now = now or timezone.now()
    today = today or timezone.localtime(now, clinic.zone).date()
    ids = list(patient_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        computed = compute_statuses(batch, clinic=clinic, today=today, now=now)
        rows = [
            _row(patient_id, status, clinic=clinic, today=today, now=now)
            for patient_id, status in computed.items()
        ]
        PatientStatus.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["patient"],
            update_fields=[name for name in FIELDS if name != "clinic"],
        )
    return len(ids)


def patient_changed(patient: Patient) -> None:
    """A service changed this patient's logs, pain checks, programs, reviews or answers."""
    refresh([patient.pk], clinic=patient.clinic)


def program_changed(program) -> None:
    """A service changed a program's dates, limit, status or exercises."""
    refresh([program.patient_id], clinic=program.clinic)


def clinic_changed(clinic: Clinic) -> int:
    """Something every patient's status reads changed (a threshold, a series' rules): the
    periodic task computes them again at its next run."""
    return PatientStatus.objects.for_clinic(clinic).update(stale_after=timezone.now())


def refresh_clinic(clinic: Clinic, *, today=None, now=None) -> int:
    """Every patient of the clinic now (the demo, the bench, `manage.py refresh_statuses`)."""
    ids = Patient.objects.for_clinic(clinic).order_by("pk").values_list("pk", flat=True)
    return refresh(ids, clinic=clinic, today=today, now=now)


def refresh_due_statuses(*, now: datetime | None = None, limit: int = 20 * BATCH) -> int:
    """The rows a clock change has made old and the patients without a row, at most `limit`
    per run (the next run takes the rest). Returns how many were computed."""
    now = now or timezone.now()
    done = 0
    for clinic in Clinic.objects.order_by("pk"):
        if done >= limit:
            break
        due = list(
            PatientStatus.objects.due(now, clinic)
            .order_by("stale_after")
            .values_list("patient_id", flat=True)[: limit - done]
        )
        if len(due) < limit - done:
            due += list(
                Patient.objects.for_clinic(clinic)
                .filter(status__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: limit - done - len(due)]
            )
        for start in range(0, len(due), BATCH):
            with transaction.atomic():
                refresh(due[start : start + BATCH], clinic=clinic, now=now)
        done += len(due)
    return done


def needing_attention(patient_scope, *, clinic: Clinic):
    """The stored statuses of the active patients of `patient_scope` (a queryset already
    limited by `for_user`) with a reason to show, most serious first: a queryset that pages
    through an index, whatever the size of the clinic."""
    return (
        PatientStatus.objects.for_clinic(clinic)
        .filter(patient__in=patient_scope.active())
        .needing_attention()
        .select_related("patient__primary_therapist")
    )
