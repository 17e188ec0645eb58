"""Writes for programs. The web views and the API call these, never their own copies.

Each function states the rule it enforces; model validation (full_clean, including the
database constraints' messages) runs before every save, so bad input is a ValidationError
with a message, never a database error.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clinic.models import Clinic, Patient, User
from exercises.models import Exercise
from programs.choices import Side
from programs.models import (
    ALL_WEEKDAYS,
    Program,
    ProgramItem,
    ProgramStatus,
    ProgramTemplate,
    ProgramTemplateItem,
)
from programs.selectors import progression_neighbours

DOSAGE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "load_amount",
    "load_unit",
    "band_colour",
    "side",
    "notes",
)
DEFAULT_SETS = 2
DEFAULT_REPS = 10

STATUS_TRANSITIONS = {
    ProgramStatus.DRAFT: {ProgramStatus.ACTIVE},
    ProgramStatus.ACTIVE: {ProgramStatus.PAUSED, ProgramStatus.COMPLETED},
    ProgramStatus.PAUSED: {ProgramStatus.ACTIVE, ProgramStatus.COMPLETED},
    ProgramStatus.COMPLETED: set(),
}


# --- Checks shared by the writes below ------------------------------------------------------


def check_exercise_usable(*, clinic: Clinic, exercise: Exercise) -> None:
    """A program only uses active exercises of the library or of its own clinic."""
    if not Exercise.objects.visible_to_clinic(clinic).filter(pk=exercise.pk).exists():
        raise ValidationError({"exercise": _("Choose an exercise from your clinic's catalog.")})
    if not exercise.is_active:
        raise ValidationError({"exercise": _("This exercise is archived and cannot be added.")})


def _check_people(*, clinic: Clinic, patient: Patient, therapist: User) -> None:
    if patient.clinic_id != clinic.pk or not patient.is_active:
        raise ValidationError({"patient": _("Choose an active patient of your clinic.")})
    if therapist.clinic_id != clinic.pk or not therapist.is_clinic_staff:
        raise ValidationError({"therapist": _("Choose a therapist of your clinic.")})


def default_dosage(exercise: Exercise) -> dict:
    """The exercise's catalog defaults, as a program item's starting prescription."""
    return {
        "sets": exercise.default_sets or DEFAULT_SETS,
        "reps": exercise.default_reps or DEFAULT_REPS,
        "hold_seconds": exercise.default_hold_seconds,
        "side": Side.EACH if exercise.per_side else Side.BOTH,
    }


def _dosage_of(source) -> dict:
    return {field: getattr(source, field) for field in DOSAGE_FIELDS}


def _next_position(program: Program) -> int:
    top = program.items.current().aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _lock(program: Program) -> Program:
    """Serialize changes to one program's items (positions are unique among current items)."""
    return Program.objects.select_for_update().get(pk=program.pk)


# --- Programs --------------------------------------------------------------------------------


@transaction.atomic
def program_create(
    *,
    clinic: Clinic,
    patient: Patient,
    therapist: User,
    title: str,
    start_date: date,
    end_date: date | None = None,
    notes: str = "",
    weekdays: int = ALL_WEEKDAYS,
    sessions_per_day: int = 1,
    max_pain: int = 5,
    template: ProgramTemplate | None = None,
) -> Program:
    """A draft program for a clinic's own patient, optionally filled from a template the
    clinic can see. Archived exercises in the template are left out."""
    _check_people(clinic=clinic, patient=patient, therapist=therapist)
    if template is not None and template.clinic_id not in (None, clinic.pk):
        raise ValidationError({"template": _("Choose one of your clinic's templates.")})
    program = Program(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        template=template,
        title=title,
        notes=notes,
        start_date=start_date,
        end_date=end_date,
        weekdays=weekdays,
        sessions_per_day=sessions_per_day,
        max_pain=max_pain,
    )
    program.full_clean()
    program.save()
    if template is not None:
        position = 1
        for template_item in template.items.select_related("exercise").order_by("position"):
            if not template_item.exercise.is_active:
                continue
            item = ProgramItem(
                program=program,
                exercise=template_item.exercise,
                position=position,
                **_dosage_of(template_item),
            )
            item.full_clean()
            item.save()
            position += 1
    return program


@transaction.atomic
def program_update(*, program: Program, **fields) -> Program:
    """Change a program's title, notes or schedule; its items and logs stay as they are."""
    allowed = {
        "title",
        "notes",
        "start_date",
        "end_date",
        "weekdays",
        "sessions_per_day",
        "max_pain",
        "therapist",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here.")
    for name, value in fields.items():
        setattr(program, name, value)
    if "therapist" in fields:
        _check_people(clinic=program.clinic, patient=program.patient, therapist=program.therapist)
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def program_status_change(*, program: Program, status: str) -> Program:
    """Draft -> active -> paused <-> active -> completed. Activating needs an exercise."""
    program = _lock(program)
    if status not in STATUS_TRANSITIONS.get(program.status, set()):
        raise ValidationError(
            {
                "status": _("A %(current)s program cannot become %(new)s.")
                % {
                    "current": ProgramStatus(program.status).label.lower(),
                    "new": ProgramStatus(status).label.lower()
                    if status in ProgramStatus.values
                    else status,
                }
            }
        )
    if status == ProgramStatus.ACTIVE and not program.items.current().exists():
        raise ValidationError({"status": _("Add at least one exercise before activating.")})
    program.status = status
    program.save(update_fields=["status", "updated_at"])
    return program


# --- Items -----------------------------------------------------------------------------------


@transaction.atomic
def program_item_add(*, program: Program, exercise: Exercise, **dosage) -> ProgramItem:
    """Add an exercise at the end, prescribed with its catalog defaults unless told otherwise."""
    program = _lock(program)
    check_exercise_usable(clinic=program.clinic, exercise=exercise)
    item = ProgramItem(
        program=program,
        exercise=exercise,
        position=_next_position(program),
        **{**default_dosage(exercise), **dosage},
    )
    item.full_clean()
    item.save()
    return item


def _replace(item: ProgramItem, *, exercise: Exercise, dosage: dict) -> ProgramItem:
    """Retire `item` and put a new one in its place: what was prescribed before stays on record."""
    item.retired_at = timezone.now()
    item.save(update_fields=["retired_at"])
    new_item = ProgramItem(
        program=item.program,
        exercise=exercise,
        position=item.position,
        replaces=item,
        **dosage,
    )
    new_item.full_clean()
    new_item.save()
    return new_item


@transaction.atomic
def program_item_update(*, item: ProgramItem, **dosage) -> ProgramItem:
    """Change an item's prescription. An item the patient has logged is not rewritten: it is
    retired and a new item carries the new dosage, so every log keeps its prescription."""
    _lock(item.program)
    item = ProgramItem.objects.select_related("program").get(pk=item.pk)
    if not item.is_current:
        raise ValidationError(_("This exercise was already replaced; edit the current one."))
    unknown = set(dosage) - set(DOSAGE_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here.")
    new_dosage = {**_dosage_of(item), **dosage}
    if not item.logs.exists():
        for name, value in new_dosage.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        return item
    return _replace(item, exercise=item.exercise, dosage=new_dosage)


@transaction.atomic
def program_item_remove(*, item: ProgramItem) -> None:
    """Take an exercise out of a program. Logged items are retired, never deleted."""
    _lock(item.program)
    if item.logs.exists():
        item.retired_at = timezone.now()
        item.save(update_fields=["retired_at"])
    else:
        item.delete()


@transaction.atomic
def program_item_move(*, item: ProgramItem, direction: str) -> None:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ValueError(f"Unknown direction {direction!r}.")
    if item.retired_at is not None:
        raise ValidationError(_("This exercise was already replaced; move the current one."))
    _lock(item.program)
    siblings = list(item.program.items.current().order_by("position"))
    index = next((i for i, sibling in enumerate(siblings) if sibling.pk == item.pk), None)
    target = None if index is None else index + (-1 if direction == "up" else 1)
    if target is None or not 0 <= target < len(siblings):
        return
    other = siblings[target]
    mine, theirs = siblings[index].position, other.position
    # Positions are unique among current items, so park one while swapping.
    ProgramItem.objects.filter(pk=other.pk).update(position=0)
    ProgramItem.objects.filter(pk=item.pk).update(position=theirs)
    ProgramItem.objects.filter(pk=other.pk).update(position=mine)


@transaction.atomic
def program_item_progress(*, item: ProgramItem, step: int) -> ProgramItem:
    """Move an item one rung up (step=+1) or down (step=-1) its exercise's progression series.

    The old item is retired with today's date and the new step keeps the dosage, so the
    program's history shows what was prescribed when.
    """
    _lock(item.program)
    item = ProgramItem.objects.select_related("program__clinic", "exercise").get(pk=item.pk)
    if not item.is_current:
        raise ValidationError(_("This exercise was already replaced; use the current one."))
    neighbours = progression_neighbours(item.exercise, item.program.clinic)
    target = neighbours.next if step > 0 else neighbours.previous
    if target is None:
        if neighbours.current is None:
            raise ValidationError(_("This exercise is not part of a progression series."))
        raise ValidationError(
            _("This is already the hardest step of its series.")
            if step > 0
            else _("This is already the easiest step of its series.")
        )
    check_exercise_usable(clinic=item.program.clinic, exercise=target.exercise)
    return _replace(item, exercise=target.exercise, dosage=_dosage_of(item))


# --- Templates -------------------------------------------------------------------------------


@transaction.atomic
def program_template_create_from_program(
    *, program: Program, name: str, created_by: User, description: str = ""
) -> ProgramTemplate:
    """Save a program's current exercises and dosages as a template of its clinic."""
    slug = slugify(name)[:80]
    if not slug:
        raise ValidationError({"name": _("Give the template a name with letters or digits.")})
    if ProgramTemplate.objects.filter(clinic=program.clinic, slug=slug).exists():
        raise ValidationError({"name": _("Your clinic already has a template with this name.")})
    template = ProgramTemplate(
        clinic=program.clinic,
        name=name,
        slug=slug,
        description=description,
        created_by=created_by,
    )
    template.full_clean()
    template.save()
    for position, item in enumerate(program.items.current().order_by("position"), start=1):
        ProgramTemplateItem.objects.create(
            template=template, exercise=item.exercise, position=position, **_dosage_of(item)
        )
    return template
