"""Writes to the catalog. The web pages, the importers and (later) the API call these, so each
rule lives here once. Every function validates with `full_clean()` before saving and raises
`ValidationError` for bad input; views turn that into form errors."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, User
from clinic.ordering import move_in_list
from clinic.text import slug_from_name
from exercises.models import (
    MASTERY_FIELDS,
    BodyRegion,
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    Muscle,
    ProgressionSeries,
    ProgressionStep,
)

EXERCISE_FIELDS = (
    "name",
    "slug",
    "summary",
    "instructions",
    "cues",
    "position",
    "starting_position",
    "difficulty",
    "default_sets",
    "default_reps",
    "default_hold_seconds",
    "per_side",
    "poses",
    "beyond_source",
    "video_url",
    "image",
    "image_alt",
    "video",
    "video_poster",
)
FILE_FIELDS = ("image", "video", "video_poster")


def _slug_for(name: str, slug: str = "") -> str:
    return (slug or slug_from_name(name))[:80]


def _check_equipment_owner(equipment: Iterable[Equipment], clinic_id: int | None) -> None:
    for item in equipment:
        if item.clinic_id is not None and item.clinic_id != clinic_id:
            raise ValidationError(
                {"equipment": _("Choose equipment from the library or your own clinic.")}
            )


def _set_exercise_relations(
    exercise: Exercise,
    *,
    body_regions: Iterable[BodyRegion] | None,
    muscles: Iterable[Muscle] | None,
    equipment: Iterable[Equipment] | None,
) -> None:
    if body_regions is not None:
        exercise.body_regions.set(body_regions)
    if muscles is not None:
        exercise.muscles.set(muscles)
    if equipment is not None:
        exercise.equipment.set(equipment)


# --- Exercises -------------------------------------------------------------------------------


@transaction.atomic
def exercise_create(
    *,
    clinic: Clinic | None,
    name: str,
    summary: str,
    instructions: list[str],
    position: str,
    starting_position: str,
    slug: str = "",
    cues: list[str] | None = None,
    difficulty: int = 2,
    default_sets: int | None = None,
    default_reps: int | None = None,
    default_hold_seconds: int | None = None,
    per_side: bool = False,
    video_url: str = "",
    image=None,
    image_alt: str = "",
    video=None,
    video_poster=None,
    poses: dict | None = None,
    beyond_source: bool = False,
    body_regions: Iterable[BodyRegion] = (),
    muscles: Iterable[Muscle] = (),
    equipment: Iterable[Equipment] = (),
    is_active: bool = True,
    copied_from: Exercise | None = None,
) -> Exercise:
    """Add an exercise to a clinic's catalog (or to the library when `clinic` is None).

    The slug is unique per owner and comes from the name when not given; equipment must be
    the library's or the same clinic's.
    """
    equipment = list(equipment)
    _check_equipment_owner(equipment, clinic.pk if clinic else None)
    exercise = Exercise(
        clinic=clinic,
        name=name,
        slug=_slug_for(name, slug),
        summary=summary,
        instructions=instructions,
        cues=cues or [],
        position=position,
        starting_position=starting_position,
        difficulty=difficulty,
        default_sets=default_sets,
        default_reps=default_reps,
        default_hold_seconds=default_hold_seconds,
        per_side=per_side,
        video_url=video_url,
        image=image or "",
        image_alt=image_alt,
        video=video or "",
        video_poster=video_poster or "",
        poses=poses or {},
        beyond_source=beyond_source,
        is_active=is_active,
        copied_from=copied_from,
    )
    exercise.full_clean()
    exercise.save()
    _set_exercise_relations(
        exercise, body_regions=body_regions, muscles=muscles, equipment=equipment
    )
    return exercise


@transaction.atomic
def exercise_update(
    *,
    exercise: Exercise,
    body_regions: Iterable[BodyRegion] | None = None,
    muscles: Iterable[Muscle] | None = None,
    equipment: Iterable[Equipment] | None = None,
    **fields: Any,
) -> Exercise:
    """Change an exercise's description. Only the fields given change; an empty slug is
    made again from the name. Equipment must be the library's or the exercise's clinic's."""
    unknown = set(fields) - set(EXERCISE_FIELDS)
    if unknown:
        raise TypeError(f"exercise_update() got unexpected fields: {sorted(unknown)}")
    if equipment is not None:
        equipment = list(equipment)
        _check_equipment_owner(equipment, exercise.clinic_id)
    for field, value in fields.items():
        if field in FILE_FIELDS:
            if value is None:
                continue  # no new upload: keep the current file
            if value is False:
                value = ""  # the "clear" box of the upload field
        setattr(exercise, field, value)
    if "slug" in fields or "name" in fields:
        exercise.slug = _slug_for(exercise.name, fields.get("slug", exercise.slug))
    exercise.full_clean()
    exercise.save()
    _set_exercise_relations(
        exercise, body_regions=body_regions, muscles=muscles, equipment=equipment
    )
    return exercise


@transaction.atomic
def exercise_archive(*, exercise: Exercise) -> Exercise:
    """Take an exercise out of the catalog without deleting it: programs that use it keep it,
    and its history stays readable. Archiving twice changes nothing."""
    if exercise.is_active:
        exercise.is_active = False
        exercise.save(update_fields=["is_active", "updated_at"])
    return exercise


@transaction.atomic
def exercise_restore(*, exercise: Exercise) -> Exercise:
    """Offer an archived exercise again. Restoring an active one changes nothing."""
    if not exercise.is_active:
        exercise.is_active = True
        exercise.save(update_fields=["is_active", "updated_at"])
    return exercise


@transaction.atomic
def exercise_copy_to_clinic(*, exercise: Exercise, clinic: Clinic) -> Exercise:
    """Copy a library exercise into a clinic's catalog so the clinic can adapt it.

    Only library exercises are copied, and a clinic holds one copy per slug: copying again
    is refused with a message, so the clinic edits the copy it already has. The copy shares
    the image file (files are never deleted, so sharing is safe).
    """
    if not exercise.is_library:
        raise ValidationError(_("Only exercises from the shared library can be copied."))
    if Exercise.objects.for_clinic(clinic).filter(slug=exercise.slug).exists():
        raise ValidationError(
            _("Your clinic already has an exercise called “%(name)s” (%(slug)s).")
            % {"name": exercise.name, "slug": exercise.slug}
        )
    return exercise_create(
        clinic=clinic,
        name=exercise.name,
        slug=exercise.slug,
        summary=exercise.summary,
        instructions=list(exercise.instructions),
        cues=list(exercise.cues),
        position=exercise.position,
        starting_position=exercise.starting_position,
        difficulty=exercise.difficulty,
        default_sets=exercise.default_sets,
        default_reps=exercise.default_reps,
        default_hold_seconds=exercise.default_hold_seconds,
        per_side=exercise.per_side,
        video_url=exercise.video_url,
        image=exercise.image.name or "",
        image_alt=exercise.image_alt,
        video=exercise.video.name or "",
        video_poster=exercise.video_poster.name or "",
        poses=dict(exercise.poses),
        beyond_source=exercise.beyond_source,
        body_regions=exercise.body_regions.all(),
        muscles=exercise.muscles.all(),
        equipment=exercise.equipment.all(),
        copied_from=exercise,
    )


# --- Equipment -------------------------------------------------------------------------------


@transaction.atomic
def equipment_create(
    *, clinic: Clinic | None, name: str, slug: str = "", purchase_url: str = ""
) -> Equipment:
    """Add equipment to a clinic's catalog; the slug is unique per owner."""
    item = Equipment(
        clinic=clinic, name=name, slug=_slug_for(name, slug), purchase_url=purchase_url
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def equipment_update(
    *, equipment: Equipment, name: str, purchase_url: str = "", slug: str | None = None
) -> Equipment:
    """Rename equipment or change its purchase link; the slug stays unless one is given."""
    equipment.name = name
    equipment.purchase_url = purchase_url
    if slug is not None:
        equipment.slug = _slug_for(name, slug)
    equipment.full_clean()
    equipment.save()
    return equipment


# --- Progression series ----------------------------------------------------------------------


@transaction.atomic
def series_create(
    *, clinic: Clinic | None, name: str, description: str = "", slug: str = ""
) -> ProgressionSeries:
    """Start a new, empty series; steps are added one by one."""
    series = ProgressionSeries(
        clinic=clinic, name=name, slug=_slug_for(name, slug), description=description
    )
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def series_update(
    *, series: ProgressionSeries, name: str, description: str = "", slug: str | None = None
) -> ProgressionSeries:
    """Rename a series or change its description; the slug stays unless one is given."""
    series.name = name
    series.description = description
    if slug is not None:
        series.slug = _slug_for(name, slug)
    series.full_clean()
    series.save()
    return series


def _locked_steps(series: ProgressionSeries) -> list[ProgressionStep]:
    return list(
        ProgressionStep.objects.select_for_update().filter(series=series).order_by("position")
    )


@transaction.atomic
def series_step_add(
    *, series: ProgressionSeries, exercise: Exercise, advance_when: str = "", **rule
) -> ProgressionStep:
    """Add an exercise as the new hardest step of a series, with its mastery rule
    (`mastery_*` fields; the defaults otherwise).

    An exercise appears at most once per series, and only the library's or the series
    clinic's exercises can be steps.
    """
    _check_rule_fields(rule)
    steps = _locked_steps(series)
    step = ProgressionStep(
        series=series,
        exercise=exercise,
        position=(steps[-1].position + 1) if steps else 1,
        advance_when=advance_when,
        **rule,
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def series_step_update(*, step: ProgressionStep, advance_when: str, **rule) -> ProgressionStep:
    """Change a step's mastery criterion: its words and its rule (`mastery_*` fields)."""
    _check_rule_fields(rule)
    step.advance_when = advance_when
    for field, value in rule.items():
        setattr(step, field, value)
    step.full_clean()
    step.save(update_fields=["advance_when", *rule])
    return step


def _check_rule_fields(rule: dict) -> None:
    unknown = set(rule) - set(MASTERY_FIELDS.values())
    if unknown:
        raise ValidationError(_("Unknown rule fields: %(names)s.") % {"names": sorted(unknown)})


@transaction.atomic
def series_steps_renumber(*, steps: list[ProgressionStep]) -> None:
    """Save one series' steps as positions 1..n in the given order.

    Positions are unique per series and not every database can defer that check, so the
    steps first move above the highest position in use, then into their final places.
    """
    if not steps:
        return
    in_use = ProgressionStep.objects.filter(series_id=steps[0].series_id).aggregate(
        top=Max("position")
    )["top"]
    parked_from = max(in_use or 0, *(step.position or 0 for step in steps)) + 1
    for offset, step in enumerate(steps):
        ProgressionStep.objects.filter(pk=step.pk).update(position=parked_from + offset)
    for number, step in enumerate(steps, start=1):
        ProgressionStep.objects.filter(pk=step.pk).update(position=number)
        step.position = number


@transaction.atomic
def series_step_move(*, step: ProgressionStep, direction: str) -> ProgressionStep:
    """Swap a step with its easier ("up") or harder ("down") neighbour (`move_in_list`)."""
    move_in_list(_locked_steps(step.series), step, direction)
    step.refresh_from_db(fields=["position"])
    return step


@transaction.atomic
def series_step_remove(*, step: ProgressionStep) -> None:
    """Take a step out of its series; the steps after it move up so positions stay 1..n.
    The exercise itself stays in the catalog."""
    series = step.series
    _locked_steps(series)
    step.delete()
    series_steps_renumber(
        steps=list(ProgressionStep.objects.filter(series=series).order_by("position"))
    )


@transaction.atomic
def series_steps_replace(*, series: ProgressionSeries, steps: list[tuple]) -> list[ProgressionStep]:
    """Make a series exactly these (exercise, advance_when[, rule fields]) steps, in order
    (used by the library loader and the importer). Steps are not referenced by programs, so
    replacing them loses nothing."""
    ProgressionStep.objects.filter(series=series).delete()
    created = []
    for exercise, advance_when, *rule in steps:
        created.append(
            series_step_add(
                series=series,
                exercise=exercise,
                advance_when=advance_when,
                **(rule[0] if rule else {}),
            )
        )
    return created


# --- Disclaimers -----------------------------------------------------------------------------


@transaction.atomic
def disclaimer_publish(
    *,
    clinic: Clinic | None,
    kind: str,
    title: str,
    body: str,
    published_by: User | None = None,
    published_at=None,
) -> Disclaimer:
    """Publish the next version of a clinic's (or the default) disclaimer of one kind.

    Versions are numbered 1, 2, ... per owner and kind and are never edited afterwards: the
    newest one is current, so a published medical version is the one patients must accept.
    The clinic row is locked so two admins publishing at once get consecutive numbers.
    """
    if kind not in DisclaimerKind.values:
        raise ValidationError({"kind": _("Choose a medical or an affiliate-link disclaimer.")})
    if clinic is not None:
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
    newest = (
        Disclaimer.objects.filter(clinic=clinic, kind=kind).aggregate(Max("version"))[
            "version__max"
        ]
        or 0
    )
    disclaimer = Disclaimer(
        clinic=clinic,
        kind=kind,
        title=title,
        body=body,
        version=newest + 1,
        published_at=published_at or timezone.now(),
        published_by=published_by,
    )
    disclaimer.full_clean()
    disclaimer.save()
    return disclaimer


def exercise_set_poses(*, exercise: Exercise, poses: dict) -> Exercise:
    """Draw a clinic's exercise from these start and end poses. Checked by the pose model
    (through the field's validator) before anything is saved."""
    exercise.poses = poses
    exercise.full_clean()
    exercise.save(update_fields=["poses"])
    return exercise
