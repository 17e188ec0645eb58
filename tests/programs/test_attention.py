"""The dashboard's reasons, each at its boundary, "Mark reviewed" and who sees whom."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.models import Patient
from programs.attention import attention_rows, dashboard_scope
from programs.choices import AttentionKind
from programs.models import AttentionReview, Difficulty, ProgramItem, ProgramStatus
from programs.services import attention_review_record
from tests.factories import (
    ExerciseLogFactory,
    InvitationFactory,
    LibraryExerciseFactory,
    MeasureAssignmentFactory,
    MeasureResponseFactory,
    PainCheckFactory,
    PatientFactory,
    ProgramFactory,
    ProgramItemFactory,
    TherapistFactory,
    series_of,
)


def _kinds(rows, patient=None):
    for row in rows:
        if patient is None or row.patient.pk == patient.pk:
            return [reason.kind for reason in row.reasons]
    return []


def _rows(user, clinic, **kwargs):
    return attention_rows(dashboard_scope(user, everyone=True), clinic=clinic, **kwargs)


def _backdate(item, days):
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days))
    item.refresh_from_db()
    return item


@pytest.fixture
def today(clinic):
    return clinic.today()


@pytest.fixture
def active(clinic, patient, therapist):
    return ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.ACTIVE
    )


@pytest.fixture
def item(active):
    return _backdate(ProgramItemFactory(program=active, position=1, sets=2, reps=10), 30)


def _log(item, day, **fields):
    return ExerciseLogFactory(program_item=item, performed_on=day, **fields)


# --- Pain during an exercise -------------------------------------------------------------


def test_pain_at_the_limit_is_not_a_reason(therapist, clinic, item, today):
    _log(item, today, pain=5)

    assert AttentionKind.PAIN_DURING not in _kinds(_rows(therapist, clinic))


def test_pain_above_the_limit_is_the_first_reason_with_its_evidence(therapist, clinic, item, today):
    _log(item, today - timedelta(days=1), pain=7)

    (row,) = _rows(therapist, clinic)

    reason = row.reasons[0]
    assert reason.kind == AttentionKind.PAIN_DURING
    assert "Pain 7/10 on " + item.exercise.name in reason.evidence
    assert reason.program_id == item.program_id


def test_pain_counts_for_seven_days_only(therapist, clinic, item, today):
    _log(item, today - timedelta(days=7), pain=8)
    _log(item, today, pain=1)
    assert AttentionKind.PAIN_DURING not in _kinds(_rows(therapist, clinic))

    _log(item, today - timedelta(days=6), pain=8)
    assert AttentionKind.PAIN_DURING in _kinds(_rows(therapist, clinic))


# --- The next morning ----------------------------------------------------------------------


def test_worse_next_morning_is_a_reason(therapist, clinic, active, item, today):
    _log(item, today - timedelta(days=1))
    PainCheckFactory(program=active, checked_on=today, pain_now=1, compared_to_before="worse")

    rows = _rows(therapist, clinic)

    assert AttentionKind.MORNING in _kinds(rows)
    assert "worse" in rows[0].reasons[0].evidence


@pytest.mark.parametrize(("pain_now", "raised"), [(5, False), (6, True)])
def test_morning_pain_above_the_limit_is_a_reason(
    therapist, clinic, active, item, today, pain_now, raised
):
    _log(item, today)
    PainCheckFactory(program=active, checked_on=today, pain_now=pain_now)

    assert (AttentionKind.MORNING in _kinds(_rows(therapist, clinic))) is raised


# --- No check-off ----------------------------------------------------------------------------


@pytest.mark.parametrize(("days_ago", "raised"), [(4, False), (5, True)])
def test_no_check_off_for_five_days(therapist, clinic, item, today, days_ago, raised):
    _log(item, today - timedelta(days=days_ago))

    rows = _rows(therapist, clinic)

    assert (AttentionKind.NO_CHECK_OFF in _kinds(rows)) is raised
    if raised:
        assert "No check-off for 5 days" in rows[0].reasons[0].evidence


def test_no_check_off_reads_older_logs_beyond_the_window(therapist, clinic, item, today):
    _log(item, today - timedelta(days=40))

    rows = _rows(therapist, clinic)

    (reason,) = [r for r in rows[0].reasons if r.kind == AttentionKind.NO_CHECK_OFF]
    assert "No check-off for 40 days" in reason.evidence


@pytest.mark.parametrize(("started_ago", "raised"), [(3, False), (4, True)])
def test_a_new_program_without_check_offs(therapist, clinic, patient, today, started_ago, raised):
    ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        start_date=today - timedelta(days=started_ago),
    )

    assert (AttentionKind.NO_CHECK_OFF in _kinds(_rows(therapist, clinic))) is raised


def test_paused_programs_raise_nothing(therapist, clinic, active, item, today):
    active.status = ProgramStatus.PAUSED
    active.save()

    assert _rows(therapist, clinic) == []


# --- Adherence ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("done", "raised"), [(7, False), (6, True)])
def test_adherence_below_half_of_the_week(therapist, clinic, active, item, today, done, raised):
    # Two exercises every day: 14 scheduled check-offs; 7 is exactly 50%.
    second = _backdate(ProgramItemFactory(program=active, position=2), 30)
    for offset in range(done):
        _log(item if offset % 2 == 0 else second, today - timedelta(days=offset // 2))

    rows = _rows(therapist, clinic)

    assert (AttentionKind.LOW_ADHERENCE in _kinds(rows)) is raised
    if raised:
        (reason,) = [r for r in rows[0].reasons if r.kind == AttentionKind.LOW_ADHERENCE]
        assert "6 of 14 check-offs (43%)" in reason.evidence


@pytest.mark.parametrize(("started_ago", "raised"), [(6, True), (5, False), (0, False)])
def test_low_adherence_waits_for_a_whole_week(
    therapist, clinic, patient, today, started_ago, raised
):
    """A program started today is not "0% adherent": the 7-day figure needs 7 days."""
    program = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        start_date=today - timedelta(days=started_ago),
    )
    _backdate(ProgramItemFactory(program=program, position=1), 30)

    rows = _rows(therapist, clinic)

    assert (AttentionKind.LOW_ADHERENCE in _kinds(rows)) is raised


# --- Invitations and program ends ------------------------------------------------------


@pytest.mark.parametrize(("minutes_short", "raised"), [(0, True), (5, False)])
def test_invited_but_not_signed_in_after_three_days(therapist, clinic, minutes_short, raised):
    newcomer = PatientFactory(clinic=clinic, primary_therapist=therapist)
    now = timezone.now()
    InvitationFactory(
        clinic=clinic,
        patient=newcomer,
        role="patient",
        email=newcomer.email,
        created_at=now - timedelta(days=3) + timedelta(minutes=minutes_short),
    )

    rows = _rows(therapist, clinic, now=now)

    assert (AttentionKind.NOT_SIGNED_IN in _kinds(rows, newcomer)) is raised


def test_an_accepted_invitation_is_no_reason(therapist, clinic, patient):
    InvitationFactory(
        clinic=clinic,
        patient=patient,
        role="patient",
        email=patient.email,
        created_at=timezone.now() - timedelta(days=10),
    )

    assert AttentionKind.NOT_SIGNED_IN not in _kinds(_rows(therapist, clinic))


@pytest.mark.parametrize(("ends_in", "raised"), [(7, True), (8, False), (0, True)])
def test_program_ending_within_seven_days(therapist, clinic, active, item, today, ends_in, raised):
    _log(item, today)
    active.end_date = today + timedelta(days=ends_in)
    active.save()

    assert (AttentionKind.ENDING_SOON in _kinds(_rows(therapist, clinic))) is raised


# --- Ready to progress, ease off ---------------------------------------------------------


@pytest.fixture
def laddered(active):
    easy, hard = LibraryExerciseFactory(name="Bridge"), LibraryExerciseFactory(name="Hard bridge")
    series_of(easy, hard)
    return _backdate(
        ProgramItemFactory(program=active, exercise=easy, position=3, sets=3, reps=15), 30
    )


def _good_sessions(item, today, n=3, **fields):
    values = {"sets_done": 3, "reps_done": 15, "pain": 2, "difficulty": Difficulty.EASY}
    values.update(fields)
    return [_log(item, today - timedelta(days=2 * i), **values) for i in range(n)]


def test_ready_to_progress_with_the_evidence(therapist, clinic, laddered, today):
    _good_sessions(laddered, today)

    (row,) = _rows(therapist, clinic)

    (reason,) = [r for r in row.reasons if r.kind == AttentionKind.READY]
    assert reason.evidence == ("Bridge: Last 3 sessions: 3 × 15, pain at most 2, felt easy.")


def test_ease_off_when_pain_passed_the_limit_twice(therapist, clinic, laddered, today):
    _good_sessions(laddered, today, n=1)
    _log(laddered, today - timedelta(days=3), pain=6, difficulty=Difficulty.HARD)
    _log(laddered, today - timedelta(days=4), pain=7, difficulty=Difficulty.HARD)

    kinds = _kinds(_rows(therapist, clinic))

    assert AttentionKind.EASE_OFF in kinds
    assert AttentionKind.READY not in kinds
    assert kinds.index(AttentionKind.PAIN_DURING) < kinds.index(AttentionKind.EASE_OFF)


# --- Mark reviewed -------------------------------------------------------------------------


def test_mark_reviewed_hides_until_new_data_raises_it_again(
    therapist, clinic, patient, item, today
):
    _log(item, today - timedelta(days=1), pain=7)
    review = attention_review_record(
        patient=patient, kind=AttentionKind.PAIN_DURING, reviewed_by=therapist
    )

    rows = _rows(therapist, clinic)
    assert AttentionKind.PAIN_DURING not in _kinds(rows)
    assert review.reviewed_by == therapist and review.reviewed_at is not None

    _log(item, today, pain=8)  # newer than the review

    assert AttentionKind.PAIN_DURING in _kinds(_rows(therapist, clinic))


def test_reviewing_one_reason_keeps_the_others(therapist, clinic, patient, active, item, today):
    _log(item, today, pain=7)
    PainCheckFactory(program=active, checked_on=today, compared_to_before="worse")
    attention_review_record(patient=patient, kind=AttentionKind.PAIN_DURING, reviewed_by=therapist)

    (row,) = _rows(therapist, clinic)

    kinds = [r.kind for r in row.reasons]
    assert AttentionKind.MORNING in kinds and AttentionKind.PAIN_DURING not in kinds
    assert row.hidden == 1


def test_a_reviewer_of_another_clinic_is_refused(patient, other_clinic_therapist):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        attention_review_record(
            patient=patient, kind=AttentionKind.MORNING, reviewed_by=other_clinic_therapist
        )
    assert not AttentionReview.objects.exists()


def test_an_unknown_reason_is_refused(patient, therapist):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        attention_review_record(patient=patient, kind="bored", reviewed_by=therapist)


# --- Scope -----------------------------------------------------------------------------------


def test_my_patients_by_default_and_the_clinic_on_request(therapist, clinic, item, today):
    colleague = TherapistFactory(clinic=clinic)
    theirs = ProgramFactory(clinic=clinic, patient__primary_therapist=colleague)
    _log(_backdate(ProgramItemFactory(program=theirs, position=1), 30), today, pain=9)
    _log(item, today, pain=9)

    mine = attention_rows(dashboard_scope(therapist, everyone=False), clinic=clinic)
    everyone = attention_rows(dashboard_scope(therapist, everyone=True), clinic=clinic)

    assert [row.patient.primary_therapist for row in mine] == [therapist]
    assert len(everyone) == 2


def test_another_clinics_patients_never_show(
    therapist, clinic, other_clinic, other_clinic_therapist, today
):
    theirs = ProgramFactory(clinic=other_clinic, therapist=other_clinic_therapist)
    _log(_backdate(ProgramItemFactory(program=theirs, position=1), 30), today, pain=9)

    assert _rows(therapist, clinic) == []
    assert Patient.objects.for_user(therapist).count() == 0


@pytest.mark.parametrize(("threshold", "raised"), [(50, False), (60, True)])
def test_the_clinic_sets_the_adherence_threshold(therapist, clinic, item, today, threshold, raised):
    for offset in range(4):  # 4 of 7: 57%
        _log(item, today - timedelta(days=offset))
    clinic.low_adherence_below = threshold
    clinic.save()

    assert (AttentionKind.LOW_ADHERENCE in _kinds(_rows(therapist, clinic))) is raised


# --- Outcome measures worse than the first score by the MCID ------------------------------


def _answered(assignment, scores, today):
    """Sent answers, oldest first, one a week up to today."""
    count = len(scores)
    for n, score in enumerate(scores):
        MeasureResponseFactory(
            assignment=assignment,
            score=score,
            answered_on=today - timedelta(days=7 * (count - 1 - n)),
            submitted_at=timezone.now() - timedelta(days=7 * (count - 1 - n)),
        )


@pytest.mark.parametrize(("latest", "raised"), [(5, True), (4, False), (0, False)])
def test_a_measure_worse_by_its_mcid_is_a_reason(therapist, clinic, patient, today, latest, raised):
    # The test scale: lower is better, MCID 3; first score 2.
    assignment = MeasureAssignmentFactory(patient=patient, instrument__clinic=clinic)
    _answered(assignment, [2, latest], today)

    rows = _rows(therapist, clinic)

    assert (AttentionKind.MEASURE_WORSE in _kinds(rows, patient)) is raised
    if raised:
        (reason,) = [r for r in rows[0].reasons if r.kind == AttentionKind.MEASURE_WORSE]
        assert reason.evidence.startswith(f"{assignment.instrument.short_name} 2 → 5 on ")


def test_a_reviewed_measure_comes_back_with_a_newer_worse_answer(therapist, clinic, patient, today):
    assignment = MeasureAssignmentFactory(patient=patient, instrument__clinic=clinic)
    _answered(assignment, [2, 6], today - timedelta(days=7))
    attention_review_record(
        patient=patient, kind=AttentionKind.MEASURE_WORSE, reviewed_by=therapist
    )
    assert AttentionKind.MEASURE_WORSE not in _kinds(_rows(therapist, clinic), patient)

    MeasureResponseFactory(assignment=assignment, score=7, answered_on=today)

    assert AttentionKind.MEASURE_WORSE in _kinds(_rows(therapist, clinic), patient)
