"""Reads that need care: progression neighbours, log summaries and adherence, bounded queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)

from clinic.models import Clinic, Patient
from exercises.models import (
    Disclaimer,
    DisclaimerKind,
    Exercise,
    ProgressionSeries,
    ProgressionStep,
)
from programs.figures import Adherence
from programs.models import (
    ComparedToBefore,
    Delivery,
    DisclaimerAcceptance,
    ExerciseLog,
    MessageKind,
    PainCheck,
    Program,
)

ADHERENCE_WINDOWS = (7, 30)
FLAG_WINDOW_DAYS = 7
LOGS_SHOWN_PER_ITEM = 20


@dataclass(frozen=True)
class Neighbours:
    current: ProgressionStep | None
    previous: ProgressionStep | None
    next: ProgressionStep | None


NO_SERIES = Neighbours(None, None, None)


def _steps_by_series(exercise_ids, clinic: Clinic) -> dict[int, list[ProgressionStep]]:
    """All steps of the series (visible to the clinic) that contain any of the exercises."""
    steps = (
        ProgressionStep.objects.filter(
            series__in=ProgressionStep.objects.filter(
                exercise_id__in=exercise_ids,
                series__in=ProgressionSeries.objects.visible_to_clinic(clinic),
            ).values("series_id")
        )
        .select_related("exercise", "series")
        .order_by("series_id", "position")
    )
    by_series = defaultdict(list)
    for step in steps:
        by_series[step.series_id].append(step)
    return by_series


def _neighbours_in(steps: list[ProgressionStep], exercise_id: int) -> Neighbours:
    for index, step in enumerate(steps):
        if step.exercise_id == exercise_id:
            return Neighbours(
                current=step,
                previous=steps[index - 1] if index > 0 else None,
                next=steps[index + 1] if index + 1 < len(steps) else None,
            )
    return NO_SERIES


def progression_neighbours_for(exercise_ids, clinic: Clinic) -> dict[int, Neighbours]:
    """Each exercise's place in its series, in one query for any number of exercises.

    An exercise in several series takes the clinic's own series first, then the library's.
    """
    by_series = _steps_by_series(exercise_ids, clinic)
    ordered = sorted(
        by_series.values(),
        key=lambda steps: (steps[0].series.clinic_id is None, steps[0].series_id),
    )
    result = {}
    for exercise_id in exercise_ids:
        for steps in ordered:
            neighbours = _neighbours_in(steps, exercise_id)
            if neighbours.current is not None:
                result[exercise_id] = neighbours
                break
        else:
            result[exercise_id] = NO_SERIES
    return result


def progression_neighbours(exercise: Exercise, clinic: Clinic) -> Neighbours:
    return progression_neighbours_for([exercise.pk], clinic)[exercise.pk]


def program_items_for_page(program: Program):
    """Current and retired items with their exercise and newest logs, in three queries."""
    newest_logs = ExerciseLog.objects.order_by("-performed_on", "-session", "-pk")
    return list(
        program.items.select_related("exercise")
        .prefetch_related(
            Prefetch("logs", queryset=newest_logs[:LOGS_SHOWN_PER_ITEM], to_attr="recent_logs")
        )
        .annotate(log_count=Count("logs"))
        .order_by("position", "created_at")
    )


def program_adherence(program: Program, items, today: date) -> list[Adherence]:
    """Completed / scheduled check-offs over the last 7 and 30 days (today included)."""
    longest = max(ADHERENCE_WINDOWS)
    first_day = today - timedelta(days=longest - 1)
    completed_by_day = dict(
        ExerciseLog.objects.completed()
        .filter(
            clinic_id=program.clinic_id,
            program_item__program=program,
            performed_on__range=(first_day, today),
        )
        .values_list("performed_on")
        .annotate(n=Count("pk"))
    )
    return adherence_from_counts(program, items, completed_by_day, today, ADHERENCE_WINDOWS)


def adherence_from_counts(
    program: Program, items, completed_by_day: dict, today: date, windows=ADHERENCE_WINDOWS
) -> list[Adherence]:
    """The adherence rule, once: over each window ending today, completed check-offs (from
    `completed_by_day`: day -> count) against scheduled ones, where scheduled counts every
    scheduled day × sessions × exercises in force that day. The status history is not kept,
    so a paused stretch inside the window counts as scheduled. Needs `program.clinic`."""
    zone = program.clinic.zone
    results = []
    for window in windows:
        scheduled = completed = 0
        for offset in range(window):
            day = today - timedelta(days=offset)
            completed += completed_by_day.get(day, 0)
            if program.is_scheduled_on(day):
                active_items = sum(1 for item in items if item.in_force_on(day, zone))
                scheduled += active_items * program.sessions_per_day
        results.append(Adherence(days=window, completed=completed, scheduled=scheduled))
    return results


def patients_for_list(queryset):
    """Patients with their newest active program, their stored status (programs/status.py:
    adherence, reasons, last logged day) and its sortable figures.

    The program is a correlated subquery that reads one row through an index, computed only
    for the rows a page returns (after ORDER BY ... LIMIT); the status is one row per patient
    joined by its key. Nothing aggregates over the logs, so the list costs the same at 100
    patients as at 10,000 with a million logs.
    """
    active_program = (
        Program.objects.active()
        .filter(clinic_id=OuterRef("clinic_id"), patient=OuterRef("pk"))
        .order_by("-start_date", "-pk")
    )
    return queryset.select_related("status").annotate(
        active_program_title=Subquery(active_program.values("title")[:1]),
        active_program_id=Subquery(active_program.values("pk")[:1]),
        last_activity=F("status__last_activity"),
        adherence_7=F("status__percent_7"),
        adherence_30=F("status__percent_30"),
        attention_rank=F("status__top_rank"),
    )


def patient_programs(patient: Patient):
    return list(
        Program.objects.of_patient(patient)
        .select_related("therapist")
        .annotate(item_count=Count("items", filter=Q(items__retired_at__isnull=True)))
        .order_by("-start_date", "-pk")
    )


def patient_recent_logs(patient: Patient, limit: int = 20):
    return list(
        ExerciseLog.objects.filter(clinic_id=patient.clinic_id, patient=patient)
        .select_related("program_item__exercise", "program_item__program")
        .order_by("-performed_on", "-updated_at")[:limit]
    )


# --- What the patient reported: the flag and the disclaimer on the patient page ------------


@dataclass(frozen=True)
class FlagReason:
    day: date
    text_kind: str  # "log_pain", "check_pain" or "check_worse"
    pain: int | None
    limit: int
    exercise_name: str = ""


@dataclass(frozen=True)
class PatientFlag:
    reasons: list[FlagReason]

    @property
    def is_flagged(self) -> bool:
        return bool(self.reasons)


def patient_flag(patient: Patient, today: date) -> PatientFlag:
    """Flag the patient when, in the last 7 days, pain during an exercise went above its
    program's limit, or a morning pain check was above the limit or “worse”. One query (a
    union of the two sources), so the therapist's patient page stays cheap."""
    since = today - timedelta(days=FLAG_WINDOW_DAYS - 1)
    logs = (
        ExerciseLog.objects.filter(
            clinic_id=patient.clinic_id,
            patient=patient,
            performed_on__range=(since, today),
            pain__gt=F("program_item__program__max_pain"),
            # Redundant (a log's item is of its patient's program) but it lets PostgreSQL
            # start from the patient's few programs instead of hashing every item of the
            # clinic when it misjudges how many logs the week holds.
            program_item__program__patient=patient,
        )
        .annotate(
            kind=Value("log_pain", output_field=CharField()),
            limit=F("program_item__program__max_pain"),
            exercise_name=F("program_item__exercise__name"),
            comparison=Value("", output_field=CharField()),
        )
        .values_list("performed_on", "kind", "pain", "limit", "exercise_name", "comparison")
        .order_by()
    )
    checks = (
        PainCheck.objects.filter(
            clinic_id=patient.clinic_id, patient=patient, checked_on__range=(since, today)
        )
        .filter(
            Q(compared_to_before=ComparedToBefore.WORSE) | Q(pain_now__gt=F("program__max_pain"))
        )
        .annotate(
            kind=Value("check", output_field=CharField()),
            limit=F("program__max_pain"),
            exercise_name=Value("", output_field=CharField()),
        )
        .values_list(
            "checked_on", "kind", "pain_now", "limit", "exercise_name", "compared_to_before"
        )
        .order_by()
    )
    reasons = []
    for day, kind, pain, limit, exercise_name, comparison in logs.union(checks, all=True):
        if kind == "log_pain":
            reasons.append(FlagReason(day, "log_pain", pain, limit, exercise_name))
            continue
        if pain > limit:
            reasons.append(FlagReason(day, "check_pain", pain, limit))
        if comparison == ComparedToBefore.WORSE:
            reasons.append(FlagReason(day, "check_worse", pain, limit))
    reasons.sort(key=lambda reason: (reason.day, reason.text_kind), reverse=True)
    return PatientFlag(reasons=reasons)


@dataclass(frozen=True)
class AcceptanceStatus:
    """The clinic's current medical disclaimer version and the patient's newest acceptance of
    any version (its version number and time)."""

    current_version: int | None
    latest_version: int | None
    latest_accepted_at: datetime | None
    accepted_current: bool


def _current_medical_disclaimer(clinic_ref):
    return Disclaimer.objects.in_force_for(clinic_ref).of_kind(DisclaimerKind.MEDICAL)


def with_disclaimer_status(patients):
    """Annotate patients with what the therapist's patient page shows about the medical
    disclaimer, inside the query that fetches them (no extra query). Read it back with
    `disclaimer_acceptance_status(patient)`. The same "current version" as the portal's gate
    (`Disclaimer.objects.in_force_for`)."""
    current = _current_medical_disclaimer(OuterRef("clinic_id"))
    newest = DisclaimerAcceptance.objects.filter(
        clinic_id=OuterRef("clinic_id"), patient=OuterRef("pk")
    ).order_by("-accepted_at", "-pk")
    return patients.annotate(
        current_disclaimer_version=Subquery(current.values("version")[:1]),
        latest_acceptance_version=Subquery(newest.values("disclaimer__version")[:1]),
        latest_accepted_at=Subquery(newest.values("accepted_at")[:1]),
        accepted_current_disclaimer=Exists(
            DisclaimerAcceptance.objects.filter(
                patient=OuterRef("pk"),
                disclaimer=Subquery(
                    _current_medical_disclaimer(OuterRef(OuterRef("clinic_id"))).values("pk")[:1]
                ),
            )
        ),
    )


def disclaimer_acceptance_status(patient: Patient) -> AcceptanceStatus:
    """The status from `with_disclaimer_status`'s annotations (one query if they are missing)."""
    if not hasattr(patient, "current_disclaimer_version"):
        patient = with_disclaimer_status(Patient.objects.filter(pk=patient.pk)).get()
    return AcceptanceStatus(
        current_version=patient.current_disclaimer_version,
        latest_version=patient.latest_acceptance_version,
        latest_accepted_at=patient.latest_accepted_at,
        accepted_current=patient.current_disclaimer_version is None
        or patient.accepted_current_disclaimer,
    )


# --- What was sent ---------------------------------------------------------------------------


def patient_last_reminder(patient: Patient):
    """The newest reminder delivery to the patient (any channel), or None. One query."""
    return (
        Delivery.objects.for_clinic(patient.clinic_id)
        .filter(patient=patient, kind=MessageKind.REMINDER)
        .select_related("reminder")
        .order_by("-created_at", "-pk")
        .first()
    )
