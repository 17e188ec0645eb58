"""Reads that need care: progression neighbours, log summaries and adherence, bounded queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery

from clinic.models import Clinic, Patient
from exercises.models import Exercise, ProgressionSeries, ProgressionStep
from programs.models import ExerciseLog, Program, ProgramItem, ProgramStatus

ADHERENCE_WINDOWS = (7, 30)
ADHERENT_FROM = 0.8  # 80% of scheduled sessions, the figure trials use
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


@dataclass(frozen=True)
class Adherence:
    days: int
    completed: int
    scheduled: int

    @property
    def percent(self) -> int | None:
        if not self.scheduled:
            return None
        return round(100 * min(self.completed, self.scheduled) / self.scheduled)

    @property
    def is_adherent(self) -> bool:
        return self.scheduled > 0 and self.completed / self.scheduled >= ADHERENT_FROM


def _item_active_on(item: ProgramItem, day: date, zone) -> bool:
    start = item.created_at.astimezone(zone).date()
    end = item.retired_at.astimezone(zone).date() if item.retired_at else None
    return start <= day and (end is None or day < end)


def program_adherence(program: Program, items, today: date) -> list[Adherence]:
    """Completed / scheduled check-offs over the last 7 and 30 days (today included).

    Scheduled counts every scheduled day × sessions × exercises current that day. The status
    history is not kept, so a paused stretch inside the window counts as scheduled.
    """
    zone = program.clinic.zone
    longest = max(ADHERENCE_WINDOWS)
    first_day = today - timedelta(days=longest - 1)
    completed_by_day = dict(
        ExerciseLog.objects.filter(
            program_item__program=program,
            completed=True,
            performed_on__range=(first_day, today),
        )
        .values_list("performed_on")
        .annotate(n=Count("pk"))
    )
    results = []
    for window in ADHERENCE_WINDOWS:
        scheduled = completed = 0
        for offset in range(window):
            day = today - timedelta(days=offset)
            completed += completed_by_day.get(day, 0)
            if program.is_scheduled_on(day):
                active_items = sum(1 for item in items if _item_active_on(item, day, zone))
                scheduled += active_items * program.sessions_per_day
        results.append(Adherence(days=window, completed=completed, scheduled=scheduled))
    return results


def patients_for_list(queryset):
    """Patients with their newest active program's title and their last logged day."""
    active_program = Program.objects.filter(
        patient=OuterRef("pk"), status=ProgramStatus.ACTIVE
    ).order_by("-start_date", "-pk")
    return queryset.annotate(
        active_program_title=Subquery(active_program.values("title")[:1]),
        active_program_id=Subquery(active_program.values("pk")[:1]),
        last_activity=Max("exercise_logs__performed_on"),
    )


def patient_programs(patient: Patient):
    return list(
        patient.programs.select_related("therapist")
        .annotate(item_count=Count("items", filter=Q(items__retired_at__isnull=True)))
        .order_by("-start_date", "-pk")
    )


def patient_recent_logs(patient: Patient, limit: int = 20):
    return list(
        ExerciseLog.objects.filter(patient=patient)
        .select_related("program_item__exercise", "program_item__program")
        .order_by("-performed_on", "-updated_at")[:limit]
    )
