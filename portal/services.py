"""Writes of the patient portal. The portal pages and the API call these, never their own copies.

Each function states the rule it enforces. Bad input is a ValidationError with a message a
patient can read; model validation (including the database constraints' messages) runs
before every save.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clinic.models import Patient
from exercises.models import Disclaimer, DisclaimerKind
from portal.days import log_window
from portal.gate import current_medical_disclaimer
from programs.models import (
    MAX_REPS,
    MAX_SETS,
    USER_AGENT_MAX_LENGTH,
    ComparedToBefore,
    Difficulty,
    DisclaimerAcceptance,
    ExerciseLog,
    PainCheck,
    Program,
    ProgramItem,
    ProgramStatus,
    ReminderSettings,
)
from programs.status import patient_changed

NOTE_MAX_LENGTH = 1000


class _Unchanged:
    """Marks a log field the caller did not give: an update keeps its current value."""

    def __repr__(self):
        return "UNCHANGED"


UNCHANGED = _Unchanged()


# --- Disclaimer ------------------------------------------------------------------------------


@transaction.atomic
def disclaimer_accept(
    *,
    patient: Patient,
    disclaimer_id,
    ip: str | None = None,
    user_agent: str = "",
) -> DisclaimerAcceptance:
    """Record that the patient accepted the medical disclaimer version they read (its id).

    Only the clinic's current medical version can be accepted: a page left open while a new
    version was published is refused, so the patient reads the new text first. Accepting the
    same version again keeps the first acceptance. The browser string is cut to 300 characters.
    """
    disclaimer = (
        Disclaimer.objects.visible_to_clinic(patient.clinic_id).filter(pk=disclaimer_id).first()
        if str(disclaimer_id).isdigit()
        else None
    )
    if disclaimer is None:
        raise ValidationError(
            {"disclaimer": _("Please read the medical disclaimer and accept it.")}
        )
    if disclaimer.kind != DisclaimerKind.MEDICAL:
        raise ValidationError({"disclaimer": _("Only the medical disclaimer is accepted here.")})
    current = current_medical_disclaimer(patient.clinic_id)
    if current is None or current.pk != disclaimer.pk:
        raise ValidationError(
            {
                "disclaimer": _(
                    "A newer version of the disclaimer was published. Please read it and accept it."
                )
            }
        )
    acceptances = DisclaimerAcceptance.objects.filter(clinic_id=patient.clinic_id, patient=patient)
    existing = acceptances.filter(disclaimer=disclaimer).first()
    if existing is not None:
        return existing
    acceptance = DisclaimerAcceptance(
        clinic_id=patient.clinic_id,
        patient=patient,
        disclaimer=disclaimer,
        ip=ip or None,
        user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH],
    )
    acceptance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            acceptance.save()
    except IntegrityError:
        # The same acceptance arrived twice at once (double tap): the first one stands.
        return acceptances.get(disclaimer=disclaimer)
    patient_changed(patient)  # a first sign-in ends "invited, not signed in"
    return acceptance


# --- Exercise logs ---------------------------------------------------------------------------


def check_item_loggable(*, patient: Patient, item: ProgramItem, day: date, today: date) -> None:
    """The rules shared by recording and undoing: the patient's own current item of an active
    program, on a scheduled day of the last week, not in the future."""
    program = item.program
    if (
        program.patient_id != patient.pk
        or program.clinic_id != patient.clinic_id
        or program.status != ProgramStatus.ACTIVE
    ):
        raise ValidationError(_("This exercise is not in one of your current programs."))
    if not item.is_current:
        raise ValidationError(
            _("Your therapist has replaced this exercise. Please use the one in today's list.")
        )
    if day > today:
        raise ValidationError({"performed_on": _("You cannot log a day that has not come yet.")})
    earliest, _latest = log_window(today)
    if day < earliest:
        raise ValidationError(
            {"performed_on": _("You can log days up to a week back; this day is too long ago.")}
        )
    if not item.is_due_on(day):
        raise ValidationError(
            {"performed_on": _("This exercise was not on your program for that day.")}
        )


def _check_session(program: Program, session) -> None:
    if not isinstance(session, int) or not 1 <= session <= program.sessions_per_day:
        raise ValidationError(
            {"session": _("Choose a session from 1 to %(n)d.") % {"n": program.sessions_per_day}}
        )


def _check_log_values(values: dict) -> None:
    """Readable messages for out-of-range numbers (the model validators say it less kindly)."""
    errors = {}
    limits = {"sets_done": MAX_SETS, "reps_done": MAX_REPS, "pain": 10}
    for field, highest in limits.items():
        value = values.get(field)
        if value is None or value is UNCHANGED:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= highest:
            errors[field] = {
                "sets_done": _("Sets done must be a whole number from 0 to %(n)d."),
                "reps_done": _("Repetitions done must be a whole number from 0 to %(n)d."),
                "pain": _("Pain is rated from 0 (none) to %(n)d (worst)."),
            }[field] % {"n": highest}
    note = values.get("note")
    if isinstance(note, str) and len(note) > NOTE_MAX_LENGTH:
        # TextField's max_length is not checked by model validation, only by forms.
        errors["note"] = _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH}
    difficulty = values.get("difficulty")
    if difficulty not in (UNCHANGED, None, "") and difficulty not in Difficulty.values:
        errors["difficulty"] = _("Choose easy, about right or hard.")
    if errors:
        raise ValidationError(errors)


def _log_upsert(
    *, patient: Patient, item: ProgramItem, day: date, session: int, values: dict
) -> ExerciseLog:
    log = (
        ExerciseLog.objects.select_for_update()
        .filter(program_item=item, performed_on=day, session=session)
        .first()
    )
    if log is None:
        # A first check-off starts from the prescription, so one tap records a full session.
        log = ExerciseLog(
            clinic_id=patient.clinic_id,
            program_item=item,
            patient=patient,
            performed_on=day,
            session=session,
            completed=True,
            sets_done=item.sets,
            reps_done=item.reps,
        )
    for field, value in values.items():
        if value is not UNCHANGED:
            setattr(log, field, "" if value is None and field in ("difficulty", "note") else value)
    # The (item, day, session) uniqueness is this function's own job (lock, then insert and
    # retry); the other constraints give their messages here.
    log.full_clean(validate_constraints=False)
    log.validate_constraints(exclude={"program_item"})
    log.save()
    return log


def exercise_log_record(
    *,
    patient: Patient,
    item: ProgramItem,
    performed_on: date,
    session: int = 1,
    completed: bool | _Unchanged = UNCHANGED,
    sets_done: int | None | _Unchanged = UNCHANGED,
    reps_done: int | None | _Unchanged = UNCHANGED,
    pain: int | None | _Unchanged = UNCHANGED,
    difficulty: str | None | _Unchanged = UNCHANGED,
    note: str | None | _Unchanged = UNCHANGED,
    today: date | None = None,
) -> ExerciseLog:
    """Check off an exercise for a day and session: one log per (item, day, session), created
    or updated, never doubled (a double tap, two tabs or a resubmitted form update the same
    row; concurrent requests on PostgreSQL end with exactly one).

    Refused: another patient's item, an item of a program that is not active, a replaced
    (retired) item, a day in the future or more than 7 days ago (clinic time zone), a day the
    program does not schedule, a session outside 1..sessions_per_day, pain outside 0-10, sets
    outside 0-20, repetitions outside 0-200 and notes over 1,000 characters.

    Fields left as UNCHANGED keep their value; a new log starts as done with the prescribed
    sets and repetitions.
    """
    item = ProgramItem.objects.select_related("program__clinic").get(pk=item.pk)
    today = today or item.program.clinic.today()
    check_item_loggable(patient=patient, item=item, day=performed_on, today=today)
    _check_session(item.program, session)
    values = {
        "completed": completed,
        "sets_done": sets_done,
        "reps_done": reps_done,
        "pain": pain,
        "difficulty": difficulty,
        "note": note,
    }
    _check_log_values(values)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                log = _log_upsert(
                    patient=patient, item=item, day=performed_on, session=session, values=values
                )
            break
        except IntegrityError:
            # Another request inserted the same (item, day, session) between our look-up and
            # our insert; the second attempt finds that row and updates it.
            if attempt == 2:
                raise
    patient_changed(patient)
    return log


@transaction.atomic
def exercise_log_undo(
    *,
    patient: Patient,
    item: ProgramItem,
    performed_on: date,
    session: int = 1,
    today: date | None = None,
) -> bool:
    """Take back a check-off, on the same day only (clinic time zone): earlier days are the
    therapist's record. Returns whether there was a log to remove; undoing twice is harmless."""
    item = ProgramItem.objects.select_related("program__clinic").get(pk=item.pk)
    today = today or item.program.clinic.today()
    if performed_on != today:
        raise ValidationError(_("Only today's check-offs can be undone."))
    check_item_loggable(patient=patient, item=item, day=performed_on, today=today)
    _check_session(item.program, session)
    deleted, _detail = ExerciseLog.objects.filter(
        program_item=item, patient=patient, performed_on=performed_on, session=session
    ).delete()
    if deleted:
        patient_changed(patient)
    return deleted > 0


# --- Morning pain check ----------------------------------------------------------------------


def pain_check_program(patient: Patient, day: date) -> Program | None:
    """The program a morning check on `day` is read against: of the active programs the patient
    exercised in the day before, the one with the strictest pain limit; else of all their active
    programs."""
    programs = Program.objects.active_of_patient(patient).order_by("max_pain", "pk")
    exercised = programs.filter(
        items__logs__performed_on=day - timedelta(days=1), items__logs__completed=True
    ).distinct()
    return exercised.first() or programs.first()


@transaction.atomic
def pain_check_record(
    *,
    patient: Patient,
    pain_now: int,
    compared_to_before: str,
    today: date | None = None,
) -> PainCheck:
    """Record this morning's answer (pain now 0-10, better / same / worse than before).

    One per patient and day (clinic time zone): answering again the same day updates it. It is
    read against the pain limit of the program chosen by `pain_check_program`; a patient
    without an active program has nothing to check.
    """
    today = today or patient.clinic.today()
    errors = {}
    if not isinstance(pain_now, int) or isinstance(pain_now, bool) or not 0 <= pain_now <= 10:
        errors["pain_now"] = _("Pain is rated from 0 (none) to 10 (worst).")
    if compared_to_before not in ComparedToBefore.values:
        errors["compared_to_before"] = _("Answer better, about the same or worse.")
    if errors:
        raise ValidationError(errors)
    program = pain_check_program(patient, today)
    if program is None:
        raise ValidationError(_("You have no current program to check against."))
    checks = PainCheck.objects.filter(clinic_id=patient.clinic_id, patient=patient)
    check = checks.select_for_update().filter(checked_on=today).first()
    if check is None:
        check = PainCheck(clinic_id=patient.clinic_id, patient=patient, checked_on=today)
    check.program = program
    check.pain_now = pain_now
    check.compared_to_before = compared_to_before
    check.full_clean(validate_constraints=False)
    check.validate_constraints(exclude={"patient"})
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:
        # Answered twice at once: update the row that won.
        checks.filter(checked_on=today).update(
            program=program, pain_now=pain_now, compared_to_before=compared_to_before
        )
        check = checks.get(checked_on=today)
    patient_changed(patient)
    return check


# --- Reminder settings -----------------------------------------------------------------------

REMINDER_SETTINGS_FIELDS = {"enabled", "time", "by_email", "by_push", "timezone"}


def reminder_settings_of(patient: Patient) -> ReminderSettings:
    """The patient's reminder settings; an unsaved row with the defaults (on, by e-mail, the
    therapist's time, the clinic's time zone) when the patient never changed them."""
    found = ReminderSettings.objects.filter(clinic_id=patient.clinic_id, patient=patient).first()
    return found or ReminderSettings(clinic_id=patient.clinic_id, patient=patient)


@transaction.atomic
def reminder_settings_update(*, patient: Patient, **fields) -> ReminderSettings:
    """Change a patient's reminders: on or off, the time (empty = the therapist's default),
    e-mail and push, and the time zone (empty = the clinic's). Never in quiet hours
    (21:00-07:00); the model's validation and constraint say so."""
    unknown = set(fields) - REMINDER_SETTINGS_FIELDS
    if unknown:
        raise TypeError(f"reminder_settings_update() cannot change {', '.join(sorted(unknown))}.")
    settings_row = reminder_settings_of(patient)
    if fields.get("time") is not None:  # to the minute, local wall-clock time
        fields["time"] = fields["time"].replace(second=0, microsecond=0, tzinfo=None)
    for name, value in fields.items():
        setattr(settings_row, name, value)
    if settings_row.timezone is None:
        settings_row.timezone = ""
    settings_row.full_clean(exclude=["patient"] if settings_row.pk else None)
    settings_row.save()
    return settings_row


def reminders_unsubscribe_email(*, patient: Patient) -> bool:
    """Stop reminder e-mails (the one-click unsubscribe link). True when they were on; doing
    it again changes nothing."""
    settings_row = reminder_settings_of(patient)
    if settings_row.pk and not settings_row.by_email:
        return False
    settings_row.by_email = False
    settings_row.save()
    return True
