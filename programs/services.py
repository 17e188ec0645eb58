"""Writes for programs. The web views and the API call these, never their own copies.

Each function states the rule it enforces; model validation (full_clean, including the
database constraints' messages) runs before every save, so bad input is a ValidationError
with a message, never a database error.
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, Patient, User
from clinic.ordering import move_in_list
from clinic.text import slug_from_name
from exercises.models import Exercise
from programs.dosage import DOSAGE_FIELDS, default_dosage, dosage_of
from programs.measures.services import assignments_ask_at_discharge
from programs.models import (
    AttentionReview,
    Program,
    ProgramItem,
    ProgramStatus,
    ProgramTemplate,
    ProgramTemplateItem,
)
from programs.schedule import ALL_WEEKDAYS
from programs.selectors import progression_neighbours
from programs.status import patient_changed, program_changed

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


def _next_position(program: Program) -> int:
    top = program.items.current().aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def check_program_editable(program: Program) -> None:
    """A completed program is the record of what was done (`Program.is_read_only`)."""
    if program.is_read_only:
        raise ValidationError(
            _("This program is completed and can no longer change. Copy it into a new program.")
        )


def check_item_editable(item: ProgramItem) -> None:
    """A replaced or removed item is history, and so is every item of a completed program."""
    check_program_editable(item.program)
    if not item.is_current:
        raise ValidationError(
            _("This exercise was already replaced or removed; change the current one.")
        )


def _lock(program: Program, *, editable: bool = True) -> Program:
    """Serialize changes to one program and its items (positions are unique among current
    items); refused once the program is completed, unless only the lock is wanted."""
    locked = (
        Program.objects.select_related("clinic").select_for_update(of=("self",)).get(pk=program.pk)
    )
    if editable:
        check_program_editable(locked)
    return locked


def _locked_current_item(item: ProgramItem) -> ProgramItem:
    """The item, re-read under its program's lock, while it may still change."""
    program = _lock(item.program)
    item = ProgramItem.objects.select_related("exercise").get(pk=item.pk)
    item.program = program
    check_item_editable(item)
    return item


def _new_item(program: Program, *, exercise: Exercise, position: int, **fields) -> ProgramItem:
    item = ProgramItem(
        clinic_id=program.clinic_id, program=program, exercise=exercise, position=position, **fields
    )
    item.full_clean()
    item.save()
    return item


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
    reminder_time: time | None = None,
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
        reminder_time=reminder_time,
    )
    program.full_clean()
    program.save()
    if template is not None:
        _copy_items(
            program,
            [
                (row.exercise, dosage_of(row))
                for row in template.items.select_related("exercise").order_by("position")
            ],
        )
    return program


def _copy_items(program: Program, rows) -> None:
    """Add (exercise, dosage) rows in order; archived exercises are left out."""
    position = 1
    for exercise, dosage in rows:
        if exercise.is_active:
            _new_item(program, exercise=exercise, position=position, **dosage)
            position += 1


@transaction.atomic
def program_copy(*, program: Program, therapist: User, start_date: date) -> Program:
    """A new draft for the same patient with the program's current exercises and dosages
    (archived exercises left out): how a completed program carries on."""
    copy = program_create(
        clinic=program.clinic,
        patient=program.patient,
        therapist=therapist,
        title=program.title,
        notes=program.notes,
        start_date=start_date,
        weekdays=program.weekdays,
        sessions_per_day=program.sessions_per_day,
        max_pain=program.max_pain,
        reminder_time=program.reminder_time,
    )
    current = program.items.current().select_related("exercise").order_by("position")
    _copy_items(copy, [(item.exercise, dosage_of(item)) for item in current])
    return copy


@transaction.atomic
def program_update(*, program: Program, **fields) -> Program:
    """Change a program's title, notes or schedule; its items and logs stay as they are.
    A completed program does not change."""
    allowed = {
        "title",
        "notes",
        "start_date",
        "end_date",
        "weekdays",
        "sessions_per_day",
        "max_pain",
        "reminder_time",
        "therapist",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"program_update() cannot change {', '.join(sorted(unknown))}.")
    program = _lock(program)
    for name, value in fields.items():
        setattr(program, name, value)
    if "therapist" in fields:
        _check_people(clinic=program.clinic, patient=program.patient, therapist=program.therapist)
    program.full_clean()
    program.save()
    program_changed(program)
    return program


@transaction.atomic
def program_status_change(*, program: Program, status: str) -> Program:
    """Draft -> active -> paused <-> active -> completed. Activating needs an exercise."""
    # The transitions below say that a completed program goes nowhere.
    program = _lock(program, editable=False)
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
    if status == ProgramStatus.COMPLETED and not _still_running(program):
        # Discharge: the measures that ask at discharge are due now.
        assignments_ask_at_discharge(patient=program.patient, today=program.clinic.today())
    program_changed(program)
    return program


def _still_running(program: Program) -> bool:
    """Whether the patient still has another active or paused program."""
    return (
        Program.objects.of_patient(program.patient)
        .exclude(pk=program.pk)
        .filter(status__in=[ProgramStatus.ACTIVE, ProgramStatus.PAUSED])
        .exists()
    )


# --- Items -----------------------------------------------------------------------------------


@transaction.atomic
def program_item_add(*, program: Program, exercise: Exercise, **dosage) -> ProgramItem:
    """Add an exercise at the end, prescribed with its catalog defaults unless told otherwise."""
    program = _lock(program)
    check_exercise_usable(clinic=program.clinic, exercise=exercise)
    item = _new_item(
        program,
        exercise=exercise,
        position=_next_position(program),
        **{**default_dosage(exercise), **dosage},
    )
    program_changed(program)
    return item


def _replace(item: ProgramItem, *, exercise: Exercise, dosage: dict) -> ProgramItem:
    """Retire `item` and put a new one in its place: what was prescribed before stays on record."""
    item.retired_at = timezone.now()
    item.save(update_fields=["retired_at"])
    new = _new_item(
        item.program, exercise=exercise, position=item.position, replaces=item, **dosage
    )
    program_changed(item.program)
    return new


@transaction.atomic
def program_item_update(*, item: ProgramItem, **dosage) -> ProgramItem:
    """Change an item's prescription. An item the patient has logged is not rewritten: it is
    retired and a new item carries the new dosage, so every log keeps its prescription."""
    unknown = set(dosage) - set(DOSAGE_FIELDS)
    if unknown:
        raise TypeError(f"program_item_update() cannot change {', '.join(sorted(unknown))}.")
    item = _locked_current_item(item)
    new_dosage = {**dosage_of(item), **dosage}
    if not item.logs.exists():
        for name, value in new_dosage.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        program_changed(item.program)
        return item
    return _replace(item, exercise=item.exercise, dosage=new_dosage)


@transaction.atomic
def program_item_remove(*, item: ProgramItem) -> None:
    """Take an exercise out of a program. Logged items are retired, never deleted; an item
    already replaced or removed is history and stays as it is."""
    item = _locked_current_item(item)
    if item.logs.exists():
        item.retired_at = timezone.now()
        item.save(update_fields=["retired_at"])
    else:
        item.delete()
    program_changed(item.program)


@transaction.atomic
def program_item_move(*, item: ProgramItem, direction: str) -> bool:
    """Swap a current item with its neighbour above ("up") or below ("down")."""
    item = _locked_current_item(item)
    siblings = list(item.program.items.current().order_by("position"))
    return move_in_list(siblings, item, direction)


@transaction.atomic
def program_item_progress(*, item: ProgramItem, step: int) -> ProgramItem:
    """Move an item one rung up (step=+1) or down (step=-1) its exercise's progression series.

    The old item is retired with today's date and the new step keeps the dosage, so the
    program's history shows what was prescribed when.
    """
    item = _locked_current_item(item)
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
    return _replace(item, exercise=target.exercise, dosage=dosage_of(item))


# --- Templates -------------------------------------------------------------------------------


@transaction.atomic
def program_template_create_from_program(
    *, program: Program, name: str, created_by: User, description: str = ""
) -> ProgramTemplate:
    """Save a program's current exercises and dosages as a template of its clinic."""
    slug = slug_from_name(name)
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
        template_item = ProgramTemplateItem(
            clinic_id=template.clinic_id,
            template=template,
            exercise=item.exercise,
            position=position,
            **dosage_of(item),
        )
        template_item.full_clean()
        template_item.save()
    return template


@transaction.atomic
def attention_review_record(*, patient: Patient, kind: str, reviewed_by: User) -> AttentionReview:
    """Mark one reason of one patient as reviewed: hidden until newer data raises it again.
    Refused: an unknown reason, or a reviewer of another clinic."""
    review = AttentionReview(
        clinic_id=patient.clinic_id, patient=patient, kind=kind, reviewed_by=reviewed_by
    )
    if reviewed_by.clinic_id != patient.clinic_id:
        raise ValidationError(_("You can only review your own clinic's patients."))
    review.full_clean()
    review.save()
    patient_changed(patient)
    return review
