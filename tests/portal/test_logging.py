"""exercise_log_record and exercise_log_undo: one log per (item, day, session), updated and
never doubled; the rules that refuse bad input; same-day undo."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.services import (
    disclaimer_accept,
    exercise_log_record,
    exercise_log_undo,
)
from programs.models import DisclaimerAcceptance, ExerciseLog, PainCheck, ProgramItem, ProgramStatus


def days_ago(today, n):
    return today - datetime.timedelta(days=n)


def test_a_check_off_starts_from_the_prescription(patient, item, today):
    log = exercise_log_record(patient=patient, item=item, performed_on=today)
    assert (log.completed, log.sets_done, log.reps_done, log.pain, log.difficulty) == (
        True,
        3,
        10,
        None,
        "",
    )
    assert log.patient == patient


def test_a_repeat_updates_the_same_log(patient, item, today):
    first = exercise_log_record(patient=patient, item=item, performed_on=today, pain=2)
    second = exercise_log_record(
        patient=patient, item=item, performed_on=today, pain=3, difficulty="hard", note="Tired"
    )
    assert first.pk == second.pk
    assert ExerciseLog.objects.count() == 1
    log = ExerciseLog.objects.get()
    assert (log.pain, log.difficulty, log.note) == (3, "hard", "Tired")


def test_a_quick_check_off_keeps_what_was_already_logged(patient, item, today):
    exercise_log_record(patient=patient, item=item, performed_on=today, pain=3, difficulty="hard")
    exercise_log_record(patient=patient, item=item, performed_on=today, completed=True)
    log = ExerciseLog.objects.get()
    assert (log.pain, log.difficulty) == (3, "hard")


def test_sessions_are_separate_logs(patient, item, active_program, today):
    active_program.sessions_per_day = 2
    active_program.save()
    exercise_log_record(patient=patient, item=item, performed_on=today, session=1)
    exercise_log_record(patient=patient, item=item, performed_on=today, session=2)
    assert ExerciseLog.objects.count() == 2


def test_a_missed_day_of_the_last_week_can_be_logged(patient, item, today):
    for n in (1, 7):
        exercise_log_record(patient=patient, item=item, performed_on=days_ago(today, n))
    assert ExerciseLog.objects.count() == 2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"pain": 11}, "pain", "from 0 (none) to 10"),
        ({"pain": -1}, "pain", "from 0 (none) to 10"),
        ({"reps_done": -3}, "reps_done", "Repetitions done must be a whole number from 0 to 200"),
        ({"reps_done": 201}, "reps_done", "from 0 to 200"),
        ({"sets_done": -1}, "sets_done", "Sets done must be a whole number from 0 to 20"),
        ({"sets_done": 5000}, "sets_done", "from 0 to 20"),
        ({"sets_done": "3"}, "sets_done", "whole number"),
        ({"pain": True}, "pain", "from 0 (none) to 10"),
        ({"difficulty": "extreme"}, "difficulty", "easy, about right or hard"),
    ],
)
def test_bad_values_are_refused_with_a_message(patient, item, today, values, field, message):
    with pytest.raises(ValidationError) as caught:
        exercise_log_record(patient=patient, item=item, performed_on=today, **values)
    assert message in " ".join(caught.value.message_dict[field])
    assert not ExerciseLog.objects.exists()


def test_a_too_long_note_is_refused(patient, item, today):
    with pytest.raises(ValidationError) as caught:
        exercise_log_record(patient=patient, item=item, performed_on=today, note="x" * 1001)
    assert "note" in caught.value.message_dict


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-1, "has not come yet"), (8, "too long ago"), (400, "too long ago")],
)
def test_days_outside_the_window_are_refused(patient, item, today, offset, message):
    with pytest.raises(ValidationError) as caught:
        exercise_log_record(patient=patient, item=item, performed_on=days_ago(today, offset))
    assert message in " ".join(caught.value.messages)


def test_a_day_the_schedule_skips_is_refused(patient, item, active_program, today):
    active_program.weekdays = 1 << today.weekday()  # only today's weekday
    active_program.save()
    with pytest.raises(ValidationError, match="not on your program"):
        exercise_log_record(patient=patient, item=item, performed_on=days_ago(today, 1))


def test_a_day_before_the_item_was_prescribed_is_refused(patient, item, today):
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now())
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="not on your program"):
        exercise_log_record(patient=patient, item=item, performed_on=days_ago(today, 2))


@pytest.mark.parametrize("session", [0, 2, -1])
def test_sessions_outside_the_program_are_refused(patient, item, today, session):
    with pytest.raises(ValidationError, match="session from 1 to 1"):
        exercise_log_record(patient=patient, item=item, performed_on=today, session=session)


def test_a_retired_item_is_refused(patient, item, today):
    ProgramItem.objects.filter(pk=item.pk).update(retired_at=timezone.now())
    with pytest.raises(ValidationError, match="replaced this exercise"):
        exercise_log_record(patient=patient, item=item, performed_on=today)


@pytest.mark.parametrize(
    "status", [ProgramStatus.PAUSED, ProgramStatus.DRAFT, ProgramStatus.COMPLETED]
)
def test_an_item_of_a_program_that_is_not_active_is_refused(
    patient, item, active_program, today, status
):
    active_program.status = status
    active_program.save()
    with pytest.raises(ValidationError, match="not in one of your current programs"):
        exercise_log_record(patient=patient, item=item, performed_on=today)


def test_another_patients_item_is_refused(patient, other_patient_item, today):
    theirs = other_patient_item
    with pytest.raises(ValidationError, match="not in one of your current programs"):
        exercise_log_record(patient=patient, item=theirs, performed_on=today)
    assert not ExerciseLog.objects.exists()


def test_undo_removes_todays_check_off(patient, item, today):
    exercise_log_record(patient=patient, item=item, performed_on=today)
    assert exercise_log_undo(patient=patient, item=item, performed_on=today) is True
    assert not ExerciseLog.objects.exists()
    assert exercise_log_undo(patient=patient, item=item, performed_on=today) is False


def test_undo_of_an_earlier_day_is_refused(patient, item, today):
    exercise_log_record(patient=patient, item=item, performed_on=days_ago(today, 1))
    with pytest.raises(ValidationError, match="Only today's"):
        exercise_log_undo(patient=patient, item=item, performed_on=days_ago(today, 1))
    assert ExerciseLog.objects.count() == 1


def test_undo_touches_only_its_own_session(patient, item, active_program, today):
    active_program.sessions_per_day = 2
    active_program.save()
    exercise_log_record(patient=patient, item=item, performed_on=today, session=1)
    exercise_log_record(patient=patient, item=item, performed_on=today, session=2)
    exercise_log_undo(patient=patient, item=item, performed_on=today, session=2)
    assert list(ExerciseLog.objects.values_list("session", flat=True)) == [1]


def test_undo_of_another_patients_item_is_refused(
    patient, other_patient, other_patient_item, today
):
    theirs = other_patient_item
    exercise_log_record(patient=other_patient, item=theirs, performed_on=today)
    with pytest.raises(ValidationError):
        exercise_log_undo(patient=patient, item=theirs, performed_on=today)
    assert ExerciseLog.objects.count() == 1


class TestDisclaimerAccept:
    def test_accepting_twice_keeps_the_first(self, patient, medical_disclaimer):
        first = disclaimer_accept(
            patient=patient, disclaimer_id=medical_disclaimer.pk, ip="192.0.2.1"
        )
        second = disclaimer_accept(
            patient=patient, disclaimer_id=medical_disclaimer.pk, ip="192.0.2.2"
        )
        assert first.pk == second.pk
        assert DisclaimerAcceptance.objects.get().ip == "192.0.2.1"

    def test_only_the_current_medical_version(
        self, patient, medical_disclaimer, affiliate_disclaimer
    ):
        with pytest.raises(ValidationError, match="Only the medical"):
            disclaimer_accept(patient=patient, disclaimer_id=affiliate_disclaimer.pk)

    def test_a_bad_ip_is_a_validation_error(self, patient, medical_disclaimer):
        with pytest.raises(ValidationError):
            disclaimer_accept(patient=patient, disclaimer_id=medical_disclaimer.pk, ip="not an ip")


class TestConstraintMessages:
    """The database constraints carry readable messages (shown by full_clean)."""

    def test_one_acceptance_per_version(self, patient, medical_disclaimer, accepted):
        duplicate = DisclaimerAcceptance(patient=patient, disclaimer_id=medical_disclaimer.pk)
        with pytest.raises(ValidationError, match="already accepted"):
            duplicate.full_clean()

    def test_one_pain_check_per_day(self, patient, active_program, today):
        PainCheck.objects.create(
            clinic=patient.clinic,
            patient=patient,
            program=active_program,
            checked_on=today,
            pain_now=2,
            compared_to_before="same",
        )
        again = PainCheck(
            patient=patient,
            program=active_program,
            checked_on=today,
            pain_now=3,
            compared_to_before="same",
        )
        with pytest.raises(ValidationError, match="already answered"):
            again.full_clean()

    def test_pain_check_values(self, patient, active_program, today):
        check = PainCheck(
            patient=patient,
            program=active_program,
            checked_on=today,
            pain_now=11,
            compared_to_before="meh",
        )
        with pytest.raises(ValidationError) as caught:
            check.full_clean()
        assert set(caught.value.message_dict) >= {"pain_now", "compared_to_before"}
