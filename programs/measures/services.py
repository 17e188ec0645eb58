"""Writes for outcome measures: loading instruments, assigning and stopping them, and the
patient's answers (kept as they go, then sent and scored). The portal, the staff pages, the
API and the management commands call these and nothing else.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, Patient, User
from programs import status
from programs.measures import engine
from programs.measures.models import Instrument, MeasureAssignment, MeasureResponse

# --- Instruments ------------------------------------------------------------------------------


def definition_check(data) -> dict:
    """The engine's check as a ValidationError whose key names the bad field."""
    try:
        return engine.check_definition(data)
    except engine.DefinitionError as error:
        raise ValidationError({error.field: error.message}) from None


@transaction.atomic
def instrument_load(*, definition, clinic: Clinic | None = None) -> tuple[Instrument, str]:
    """Create or refresh one version of an instrument (library rows with clinic None).

    Idempotent: the same file again changes nothing ("unchanged"). A version that patients
    have answered never changes ("give the new text a new version"). The highest version of
    a slug is the current one, which new assignments use.
    """
    data = definition_check(definition)
    rows = Instrument.objects.filter(clinic=clinic, slug=data["slug"])
    existing = rows.filter(version=data["version"]).select_for_update().first()
    fields = {
        "name": data["name"],
        "short_name": data["short_name"],
        "definition": data,
    }
    if existing is not None:
        if existing.definition == data:
            outcome = "unchanged"
        elif MeasureResponse.objects.filter(instrument=existing).exists():
            raise ValidationError(
                {
                    "version": _(
                        "Version %(version)s of %(slug)s has answers and cannot change; "
                        "give the changed text a new version number."
                    )
                    % {"version": data["version"], "slug": data["slug"]}
                }
            )
        else:
            for key, value in fields.items():
                setattr(existing, key, value)
            existing.full_clean()
            existing.save()
            outcome = "updated"
        instrument = existing
    else:
        instrument = Instrument(clinic=clinic, slug=data["slug"], version=data["version"], **fields)
        instrument.full_clean()
        instrument.save()
        outcome = "created"
    newest = rows.order_by("-version").values_list("version", flat=True).first()
    rows.exclude(version=newest).update(is_current=False)
    rows.filter(version=newest).update(is_current=True)
    instrument.refresh_from_db()
    return instrument, outcome


# --- Assignments ------------------------------------------------------------------------------


def assignment_create(
    *,
    patient: Patient,
    instrument: Instrument,
    assigned_by: User | None,
    starts_on: date,
    every_weeks: int | None = None,
    at_discharge: bool = True,
) -> MeasureAssignment:
    """Ask an active patient to answer a current instrument of the library or of their own
    clinic, first on `starts_on`. One open assignment per patient and instrument."""
    if not patient.is_active:
        raise ValidationError({"patient": _("Choose an active patient of your clinic.")})
    visible = Instrument.objects.visible_to_clinic(patient.clinic_id).current()
    if not visible.filter(pk=instrument.pk).exists():
        raise ValidationError({"instrument": _("Choose a measure of your clinic's list.")})
    assignment = MeasureAssignment(
        clinic_id=patient.clinic_id,
        patient=patient,
        instrument=instrument,
        assigned_by=assigned_by,
        starts_on=starts_on,
        every_weeks=every_weeks or None,
        at_discharge=at_discharge,
        next_due_on=starts_on,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def assignment_stop(*, assignment: MeasureAssignment) -> MeasureAssignment:
    """Stop asking. Answers already sent stay; a started questionnaire is dropped."""
    if assignment.stopped_at is not None:
        raise ValidationError(_("This measure is already stopped."))
    with transaction.atomic():
        assignment.stopped_at = timezone.now()
        assignment.next_due_on = None
        assignment.save(update_fields=["stopped_at", "next_due_on"])
        MeasureResponse.objects.filter(assignment=assignment).drafts().delete()
    return assignment


def assignments_ask_at_discharge(*, patient: Patient, today: date) -> int:
    """Discharge (the patient's last running program completed): the open assignments that
    ask at discharge are due today. Returns how many."""
    return (
        MeasureAssignment.objects.of_patient(patient)
        .open()
        .filter(at_discharge=True)
        .update(next_due_on=today)
    )


# --- Answers --------------------------------------------------------------------------------


def _carried_activities(assignment: MeasureAssignment) -> list[str]:
    """PSFS-style instruments rate the same activities every round: those of the patient's
    latest sent answers to this instrument (any version, any earlier assignment)."""
    if not assignment.instrument.has_activities:
        return []
    latest = (
        MeasureResponse.objects.filter(
            clinic_id=assignment.clinic_id,
            patient_id=assignment.patient_id,
            instrument__slug=assignment.instrument.slug,
            instrument__clinic_id=assignment.instrument.clinic_id,
        )
        .submitted()
        .order_by("-submitted_at", "-pk")
        .first()
    )
    return list(latest.activities) if latest else []


def activities_are_carried(assignment: MeasureAssignment) -> bool:
    """True when the activities come from an earlier round (and so cannot change)."""
    return bool(_carried_activities(assignment))


def carried_activities(assignment: MeasureAssignment) -> list[str]:
    return _carried_activities(assignment)


def _check_askable(assignment: MeasureAssignment, today: date) -> None:
    if assignment.stopped_at is not None:
        raise ValidationError(_("Your therapist no longer asks this questionnaire."))
    has_draft = assignment.responses.filter(submitted_at__isnull=True).exists()
    if not has_draft and not assignment.is_due(today):
        if assignment.next_due_on is None:
            raise ValidationError(_("This questionnaire is not due again."))
        raise ValidationError(
            _("This questionnaire is due on %(day)s, not yet.")
            % {"day": assignment.next_due_on.isoformat()}
        )


def response_start(*, assignment: MeasureAssignment, today: date) -> MeasureResponse:
    """The started questionnaire of a due assignment, or a new one (with carried activities)."""
    _check_askable(assignment, today)
    draft = assignment.responses.filter(submitted_at__isnull=True).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return MeasureResponse.objects.create(
                clinic_id=assignment.clinic_id,
                patient_id=assignment.patient_id,
                assignment=assignment,
                instrument=assignment.instrument,
                activities=_carried_activities(assignment),
            )
    except IntegrityError:
        # Two tabs started it at once: one draft per assignment (a database constraint).
        return assignment.responses.get(submitted_at__isnull=True)


def _definition(response: MeasureResponse) -> dict:
    return response.instrument.definition


def _check_draft(response: MeasureResponse) -> None:
    if response.submitted_at is not None:
        raise ValidationError(_("These answers are already sent."))


def response_activities_set(*, response: MeasureResponse, names) -> MeasureResponse:
    """Name the activities once, at the first round; later rounds keep the same ones."""
    _check_draft(response)
    if _carried_activities(response.assignment):
        raise ValidationError(
            {"activities": _("You rate the same activities as last time; they cannot change.")}
        )
    response.activities = engine.clean_activities(_definition(response), names)
    # Answers to activities that are no longer named are dropped.
    valid = {item.id for item in engine.items_of(_definition(response), response.activities)}
    response.answers = {k: v for k, v in response.answers.items() if k in valid}
    response.save(update_fields=["activities", "answers"])
    return response


def response_answer(*, response: MeasureResponse, item_id: str, value) -> MeasureResponse:
    """Keep one answer of a started questionnaire (None clears it: the question is skipped)."""
    _check_draft(response)
    items = engine.items_of(_definition(response), response.activities)
    cleaned = engine.clean_answers(items, {item_id: value})
    answers = {k: v for k, v in response.answers.items() if k != item_id}
    answers.update(cleaned)
    response.answers = answers
    response.save(update_fields=["answers"])
    return response


@transaction.atomic
def response_submit(*, response: MeasureResponse, today: date) -> MeasureResponse:
    """Send a started questionnaire: score it by the instrument's rules and set the next
    due date from the assignment's schedule. Sent answers never change."""
    assignment = MeasureAssignment.objects.select_for_update().get(pk=response.assignment_id)
    response = MeasureResponse.objects.select_related("instrument").get(pk=response.pk)
    _check_draft(response)
    if assignment.stopped_at is not None:
        raise ValidationError(_("Your therapist no longer asks this questionnaire."))
    definition = _definition(response)
    if "activities" in definition and not response.activities:
        raise ValidationError({"activities": _("Name the activities first.")})
    items = engine.items_of(definition, response.activities)
    answers = engine.clean_answers(items, response.answers)
    if not answers:
        raise ValidationError({"answers": _("Answer at least one question.")})
    result = engine.score(definition, answers, response.activities)
    response.answers = answers
    response.score = result.total
    response.subscale_scores = result.subscales
    response.answered_count = result.answered
    response.answered_on = today
    response.submitted_at = timezone.now()
    response.save()
    assignment.next_due_on = assignment.due_after_answer(today)
    assignment.save(update_fields=["next_due_on"])
    status.refresh([assignment.patient_id], clinic=assignment.clinic)  # a measure worse
    return response


@transaction.atomic
def response_record(
    *,
    assignment: MeasureAssignment,
    version,
    answers,
    activities=None,
    today: date,
) -> MeasureResponse:
    """All answers at once (the API): the same checks and scoring as the portal's pages.
    Anything invalid raises before anything is saved."""
    if version != assignment.instrument.version:
        raise ValidationError(
            {
                "version": _("This questionnaire is version %(v)s; reload it and answer again.")
                % {"v": assignment.instrument.version}
            }
        )
    response = response_start(assignment=assignment, today=today)
    definition = _definition(response)
    if "activities" in definition:
        carried = _carried_activities(assignment)
        if carried:
            if activities not in (None, [], carried):
                raise ValidationError(
                    {
                        "activities": _("Rate the same activities as last time: %(names)s.")
                        % {"names": "; ".join(carried)}
                    }
                )
            response.activities = carried
        else:
            response.activities = engine.clean_activities(definition, activities)
    elif activities:
        raise ValidationError({"activities": _("This questionnaire has no activities.")})
    items = engine.items_of(definition, response.activities)
    response.answers = engine.clean_answers(items, answers)
    response.save(update_fields=["activities", "answers"])
    return response_submit(response=response, today=today)
