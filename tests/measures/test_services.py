"""Assigning, schedules due and not due, answering (kept as the patient goes, then sent and
scored), PSFS-style activities carried forward, and invalid answers saving nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from programs.measures import selectors, services
from programs.measures.models import MeasureResponse
from tests.factories import (
    InstrumentFactory,
    MeasureAssignmentFactory,
    MeasureResponseFactory,
    PatientWithAccountFactory,
    test_activity_definition,
)

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def instrument(clinic):
    return InstrumentFactory(clinic=clinic)


@pytest.fixture
def activities(clinic):
    definition = test_activity_definition()
    return InstrumentFactory(clinic=clinic, slug=definition["slug"], definition=definition)


def _assign(patient, instrument, **kwargs):
    return services.assignment_create(
        patient=patient,
        instrument=instrument,
        assigned_by=None,
        starts_on=kwargs.pop("starts_on", TODAY),
        **kwargs,
    )


def test_assignment_is_due_from_its_start(patient, instrument):
    assignment = _assign(patient, instrument, starts_on=TODAY + datetime.timedelta(days=1))

    assert selectors.due_for_patient(patient, TODAY) == []
    assert selectors.due_for_patient(patient, TODAY + datetime.timedelta(days=1)) == [assignment]


def test_another_clinics_instrument_cannot_be_assigned(patient, other_clinic):
    with pytest.raises(ValidationError) as caught:
        _assign(patient, InstrumentFactory(clinic=other_clinic))
    assert "instrument" in caught.value.message_dict


def test_an_old_version_cannot_be_assigned(patient, clinic):
    old = InstrumentFactory(clinic=clinic, slug="s", version=1, is_current=False)
    with pytest.raises(ValidationError):
        _assign(patient, old)


def test_one_open_assignment_per_instrument(patient, instrument):
    _assign(patient, instrument)
    with pytest.raises(ValidationError, match="already answers"):
        _assign(patient, instrument)


def test_every_weeks_out_of_range_is_refused(patient, instrument):
    with pytest.raises(ValidationError) as caught:
        _assign(patient, instrument, every_weeks=53)
    assert "every_weeks" in caught.value.message_dict


def test_answering_page_by_page_keeps_progress_then_scores(patient, instrument):
    assignment = _assign(patient, instrument, every_weeks=4)
    draft = services.response_start(assignment=assignment, today=TODAY)
    services.response_answer(response=draft, item_id="q1", value=1)

    again = services.response_start(assignment=assignment, today=TODAY)  # came back later
    assert again.pk == draft.pk and again.answers == {"q1": 1}
    services.response_answer(response=again, item_id="q2", value=3)
    sent = services.response_submit(response=again, today=TODAY)

    assert sent.score == 6  # (1 + 3) prorated to 3 items
    assert sent.subscale_scores == {"first_two": 4}
    assert sent.answered_on == TODAY
    assignment.refresh_from_db()
    assert assignment.next_due_on == TODAY + datetime.timedelta(weeks=4)
    assert selectors.due_for_patient(patient, TODAY) == []
    assert selectors.due_for_patient(patient, TODAY + datetime.timedelta(weeks=4)) == [assignment]


def test_once_only_is_not_due_again_until_discharge(patient, instrument):
    assignment = _assign(patient, instrument)
    services.response_record(
        assignment=assignment, version=1, answers={"q1": 1, "q2": 1, "q3": 1}, today=TODAY
    )
    assignment.refresh_from_db()
    assert assignment.next_due_on is None
    with pytest.raises(ValidationError, match="not due again"):
        services.response_start(assignment=assignment, today=TODAY)

    assert services.assignments_ask_at_discharge(patient=patient, today=TODAY) == 1
    assert selectors.due_for_patient(patient, TODAY) == [assignment]


def test_not_yet_due_cannot_be_answered(patient, instrument):
    assignment = _assign(patient, instrument, starts_on=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="due on 2026-03-05"):
        services.response_record(assignment=assignment, version=1, answers={"q1": 1}, today=TODAY)
    assert not MeasureResponse.objects.exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"answers": {"q1": 9}}, "answers"),
        ({"answers": {"nope": 1}}, "answers"),
        ({"answers": {}}, "answers"),
        ({"answers": {"q1": 1}, "version": 2}, "version"),
        ({"answers": {"q1": 1}, "activities": ["a", "b"]}, "activities"),
    ],
)
def test_invalid_answers_save_nothing(patient, instrument, kwargs, field):
    assignment = _assign(patient, instrument)
    with pytest.raises(ValidationError) as caught:
        services.response_record(
            assignment=assignment, version=kwargs.pop("version", 1), today=TODAY, **kwargs
        )
    assert field in caught.value.message_dict
    assert not MeasureResponse.objects.exists()
    assignment.refresh_from_db()
    assert assignment.next_due_on == TODAY


def test_too_few_answers_are_kept_without_a_score(patient, instrument):
    assignment = _assign(patient, instrument)
    sent = services.response_record(
        assignment=assignment, version=1, answers={"q1": 1}, today=TODAY
    )
    assert sent.score is None and sent.answered_count == 1


def test_activities_are_named_once_and_carried_forward(patient, activities):
    first = _assign(patient, activities, every_weeks=2)
    services.response_record(
        assignment=first,
        version=1,
        activities=["Stairs", "Kneeling"],
        answers={"activity_1": 2, "activity_2": 4},
        today=TODAY,
    )
    later = TODAY + datetime.timedelta(weeks=2)
    draft = services.response_start(assignment=first, today=later)

    assert draft.activities == ["Stairs", "Kneeling"]
    with pytest.raises(ValidationError, match="cannot change"):
        services.response_activities_set(response=draft, names=["Running", "Jumping"])
    with pytest.raises(ValidationError, match="same activities"):
        services.response_record(
            assignment=first,
            version=1,
            activities=["Running", "Jumping"],
            answers={"activity_1": 5},
            today=later,
        )
    sent = services.response_record(
        assignment=first, version=1, answers={"activity_1": 6, "activity_2": 8}, today=later
    )
    assert sent.activities == ["Stairs", "Kneeling"] and sent.score == 7

    series = selectors.patient_measure_series(patient)[0]
    assert series.change == 4 and series.status == selectors.IMPROVED
    assert series.activity_changes == [("Stairs", 2, 6, 4), ("Kneeling", 4, 8, 4)]


def test_activities_must_be_named_before_sending(patient, activities):
    draft = services.response_start(assignment=_assign(patient, activities), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        services.response_submit(response=draft, today=TODAY)
    assert "activities" in caught.value.message_dict


def test_stopping_drops_a_started_questionnaire_and_keeps_sent_answers(patient, instrument):
    assignment = _assign(patient, instrument, every_weeks=1)
    services.response_record(
        assignment=assignment, version=1, answers={"q1": 1, "q2": 1}, today=TODAY
    )
    services.response_start(assignment=assignment, today=TODAY + datetime.timedelta(weeks=1))

    services.assignment_stop(assignment=assignment)

    assert MeasureResponse.objects.submitted().count() == 1
    assert not MeasureResponse.objects.drafts().exists()
    with pytest.raises(ValidationError, match="already stopped"):
        services.assignment_stop(assignment=assignment)
    with pytest.raises(ValidationError, match="no longer asks"):
        services.response_start(assignment=assignment, today=TODAY + datetime.timedelta(weeks=1))


@pytest.mark.parametrize(
    "scores, status",
    [
        ([9, 6], selectors.IMPROVED),  # lower is better; MCID 3
        ([9, 7], selectors.WITHIN),
        ([5, 8], selectors.WORSE),
        ([5], None),
    ],
)
def test_change_from_the_first_score_against_the_mcid(patient, instrument, scores, status):
    assignment = MeasureAssignmentFactory(patient=patient, instrument=instrument)
    for n, value in enumerate(scores):
        MeasureResponseFactory(
            assignment=assignment, score=value, answered_on=TODAY + datetime.timedelta(days=n)
        )
    series = selectors.patient_measure_series(patient)[0]
    assert series.status == status
    assert series.needs_attention == (status == selectors.WORSE)


def test_a_score_that_is_a_change_is_read_against_the_mcid_directly(patient, clinic):
    definition = {
        "format": 1,
        "slug": "rating",
        "version": 1,
        "name": "Rating",
        "short_name": "R",
        "licence": "tests",
        "items": [{"id": "c", "text": "Changed?", "min": -7, "max": 7}],
        "scoring": {"method": "sum"},
        "range": {"min": -7, "max": 7},
        "better": "higher",
        "score_is_change": True,
        "mcid": {"value": 3, "source": "tests"},
    }
    instrument, _ = services.instrument_load(definition=definition, clinic=clinic)
    assignment = _assign(patient, instrument)
    services.response_record(assignment=assignment, version=1, answers={"c": -4}, today=TODAY)
    assert selectors.patient_measure_series(patient)[0].status == selectors.WORSE


def test_series_reads_in_two_queries(patient, instrument, django_assert_num_queries):
    assignment = MeasureAssignmentFactory(patient=patient, instrument=instrument)
    for n in range(5):
        MeasureResponseFactory(
            assignment=assignment, answered_on=TODAY + datetime.timedelta(days=n)
        )
    with django_assert_num_queries(2):
        selectors.patient_measure_series(patient)


def test_other_patients_answers_are_not_in_the_series(patient, instrument, clinic):
    other = PatientWithAccountFactory(clinic=clinic)
    MeasureResponseFactory(
        assignment=MeasureAssignmentFactory(patient=other, instrument=instrument)
    )
    assert selectors.patient_measure_series(patient) == []


def test_completing_the_last_program_asks_at_discharge(patient, instrument, therapist):
    from programs.models import ProgramStatus
    from programs.services import program_status_change
    from tests.factories import ProgramFactory, ProgramItemFactory

    assignment = _assign(patient, instrument)
    services.response_record(
        assignment=assignment, version=1, answers={"q1": 1, "q2": 1}, today=TODAY
    )
    first = ProgramFactory(clinic=patient.clinic, patient=patient, therapist=therapist)
    second = ProgramFactory(clinic=patient.clinic, patient=patient, therapist=therapist)
    for program in (first, second):
        ProgramItemFactory(program=program)

    program_status_change(program=first, status=ProgramStatus.COMPLETED)
    assignment.refresh_from_db()
    assert assignment.next_due_on is None  # another program still runs

    program_status_change(program=second, status=ProgramStatus.COMPLETED)
    assignment.refresh_from_db()
    assert assignment.next_due_on == patient.clinic.today()


def test_patients_worse_by_the_mcid_for_the_dashboard(patient, instrument, clinic):
    better = PatientWithAccountFactory(clinic=clinic)
    for who, scores in ((patient, [2, 6]), (better, [9, 2])):
        assignment = MeasureAssignmentFactory(patient=who, instrument=instrument)
        for n, value in enumerate(scores):
            MeasureResponseFactory(
                assignment=assignment, score=value, answered_on=TODAY + datetime.timedelta(days=n)
            )
    assert selectors.patients_worse_by_mcid([patient.pk, better.pk]) == {patient.pk}
