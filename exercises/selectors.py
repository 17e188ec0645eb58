"""Reads of the catalog that need care: what a user may see, in a bounded number of queries."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Prefetch

from exercises.models import (
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    ProgressionSeries,
    ProgressionStep,
)

# How long a rendered catalog table may be reused at most (the stamp below changes sooner
# whenever an exercise or a piece of equipment does; muscle names change only by deploy).
CATALOG_FRAGMENT_SECONDS = 300
LIBRARY_SOURCE = "library"
CLINIC_SOURCE = "clinic"


def catalog_stamp(clinic) -> str:
    """A version of what a clinic's catalog list shows: it changes when an exercise or a
    piece of equipment the clinic sees is added, changed, archived or deleted. The list's
    table is cached under it (shared by every staff member of the clinic), so an unchanged
    catalog costs these two small aggregates instead of its rows, relations and rendering."""
    exercises = Exercise.objects.visible_to_clinic(clinic).aggregate(
        changed=Max("updated_at"), count=Count("pk")
    )
    equipment = Equipment.objects.visible_to_clinic(clinic).aggregate(
        changed=Max("updated_at"), count=Count("pk")
    )
    return "|".join(
        str(value)
        for value in (
            exercises["changed"],
            exercises["count"],
            equipment["changed"],
            equipment["count"],
        )
    )


def exercise_catalog(
    *,
    user,
    exercises=None,
    query: str = "",
    position: str = "",
    equipment=None,
    difficulty: int | None = None,
    source: str = "",
    include_archived: bool = False,
):
    """The exercises a staff member may browse, filtered; archived ones only for admins who
    ask for them. `exercises` narrows a queryset the caller already scoped to the user
    (`for_user` by default)."""
    exercises = Exercise.objects.for_user(user) if exercises is None else exercises
    if not (include_archived and user.is_clinic_admin):
        exercises = exercises.active()
    if query:
        exercises = exercises.search(query)
    if position:
        exercises = exercises.filter(position=position)
    if equipment is not None:
        exercises = exercises.filter(equipment=equipment)
    if difficulty:
        exercises = exercises.filter(difficulty=difficulty)
    if source == LIBRARY_SOURCE:
        exercises = exercises.library()
    elif source == CLINIC_SOURCE:
        exercises = exercises.owned_by_clinics()
    return exercises.with_catalog_relations().order_by("name", "pk")


def steps_with_exercises():
    return ProgressionStep.objects.select_related("exercise").order_by("position")


@dataclass(frozen=True)
class SeriesPlace:
    """Where an exercise sits in one series: the step and its easier and harder neighbours."""

    series: ProgressionSeries
    step: ProgressionStep
    previous: ProgressionStep | None
    next: ProgressionStep | None


def exercise_series_places(*, exercise: Exercise, user) -> list[SeriesPlace]:
    """Every series (visible to the user) the exercise is a step of, with its neighbours."""
    series_list = (
        ProgressionSeries.objects.for_user(user)
        .filter(pk__in=ProgressionStep.objects.filter(exercise=exercise).values("series"))
        .prefetch_related(Prefetch("steps", queryset=steps_with_exercises()))
        .order_by("name", "pk")
    )
    places = []
    for series in series_list:
        steps = list(series.steps.all())
        for index, step in enumerate(steps):
            if step.exercise_id == exercise.pk:
                places.append(
                    SeriesPlace(
                        series=series,
                        step=step,
                        previous=steps[index - 1] if index > 0 else None,
                        next=steps[index + 1] if index + 1 < len(steps) else None,
                    )
                )
    return places


def disclaimers_current(*, clinic) -> dict[str, Disclaimer]:
    """The current disclaimer of each kind for a clinic (see `in_force_for`). One query."""
    current: dict[str, Disclaimer] = {}
    for row in Disclaimer.objects.in_force_for(clinic):
        current.setdefault(row.kind, row)
    return current


def disclaimer_current(*, clinic, kind: str) -> Disclaimer | None:
    return Disclaimer.objects.in_force_for(clinic).of_kind(kind).first()


def disclaimer_versions(*, clinic) -> dict[str, list[Disclaimer]]:
    """All versions a clinic can read (its own, then the defaults), newest first, by kind."""
    versions: dict[str, list[Disclaimer]] = {kind: [] for kind in DisclaimerKind.values}
    rows = (
        Disclaimer.objects.visible_to_clinic(clinic)
        .select_related("published_by")
        .order_by("kind", F("clinic").desc(nulls_last=True), "-version")
    )
    for row in rows:
        versions[row.kind].append(row)
    return versions
