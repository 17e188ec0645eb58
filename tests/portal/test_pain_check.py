"""The morning pain check: asked on the first visit of a day after a day with exercise;
worse or above the limit shows a calm note and flags the patient for the therapist."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.selectors import pain_check_state
from portal.services import pain_check_record
from programs.models import ExerciseLog, PainCheck
from programs.selectors import patient_flag


@pytest.fixture
def exercised_yesterday(patient, item, today):
    return ExerciseLog.objects.create(
        program_item=item,
        clinic=patient.clinic,
        patient=patient,
        performed_on=today - datetime.timedelta(days=1),
        pain=2,
    )


def test_asked_after_a_day_with_exercise(paula_client, exercised_yesterday):
    response = paula_client.get(reverse("portal_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_pain_check")
    html = paula_client.get(reverse("portal_pain_check")).content.decode()
    assert "how does it feel this morning" in html
    assert "How much pain do you have right now?" in html


def test_not_asked_without_exercise_yesterday(paula_client, patient, item, today):
    ExerciseLog.objects.create(
        program_item=item,
        clinic=patient.clinic,
        patient=patient,
        performed_on=today - datetime.timedelta(days=2),
    )
    assert paula_client.get(reverse("portal_home")).status_code == 200


def test_not_asked_when_yesterdays_log_was_not_done(paula_client, exercised_yesterday):
    exercised_yesterday.completed = False
    exercised_yesterday.save()
    assert paula_client.get(reverse("portal_home")).status_code == 200


def test_answering_records_once_and_stops_asking(paula_client, patient, exercised_yesterday, today):
    response = paula_client.post(
        reverse("portal_pain_check"), {"pain_now": 2, "compared_to_before": "better"}
    )
    assert response["Location"] == reverse("portal_home")
    check = PainCheck.objects.get()
    assert (check.checked_on, check.pain_now, check.compared_to_before) == (today, 2, "better")
    assert check.program == exercised_yesterday.program_item.program
    home = paula_client.get(reverse("portal_home"))
    assert home.status_code == 200
    assert "Please get in touch with your therapist" not in home.content.decode()
    # Answering again the same day updates the same row.
    paula_client.post(reverse("portal_pain_check"), {"pain_now": 3, "compared_to_before": "same"})
    assert PainCheck.objects.get().pain_now == 3


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"pain_now": 2, "compared_to_before": "worse"}, "feels worse this morning"),
        ({"pain_now": 6, "compared_to_before": "same"}, "(6 of 10) is above the limit"),
    ],
)
def test_worse_or_above_the_limit_shows_a_calm_note(paula_client, exercised_yesterday, data, text):
    paula_client.post(reverse("portal_pain_check"), data)
    html = paula_client.get(reverse("portal_home")).content.decode()
    assert "Please get in touch with your therapist" in html
    assert text in html
    assert "Theo" in html  # the program's therapist, by name


def test_not_now_skips_for_today(paula_client, exercised_yesterday):
    response = paula_client.post(reverse("portal_pain_check_later"))
    assert response["Location"] == reverse("portal_home")
    assert paula_client.get(reverse("portal_home")).status_code == 200
    assert not PainCheck.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"pain_now": 11, "compared_to_before": "same"},
        {"pain_now": -1, "compared_to_before": "same"},
        {"pain_now": 3, "compared_to_before": "awful"},
        {"pain_now": "", "compared_to_before": ""},
    ],
)
def test_bad_answers_are_a_400(paula_client, exercised_yesterday, data):
    response = paula_client.post(reverse("portal_pain_check"), data)
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    assert not PainCheck.objects.exists()


def test_service_refuses_out_of_range(patient, exercised_yesterday, today):
    with pytest.raises(ValidationError) as caught:
        pain_check_record(patient=patient, pain_now=11, compared_to_before="same", today=today)
    assert "pain_now" in caught.value.message_dict


def test_service_needs_an_active_program(patient, today):
    with pytest.raises(ValidationError, match="no current program"):
        pain_check_record(patient=patient, pain_now=1, compared_to_before="same", today=today)


def test_the_strictest_program_exercised_yesterday_is_used(
    patient, exercised_yesterday, active_program, therapist, clinic, today
):
    from tests.factories import ProgramFactory, ProgramItemFactory, backdate

    strict = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        max_pain=3,
        start_date=active_program.start_date,
    )
    strict_item = backdate(ProgramItemFactory(program=strict, position=1), 10)
    check = pain_check_record(patient=patient, pain_now=4, compared_to_before="same", today=today)
    assert check.program == active_program  # the strict one was not exercised yesterday
    ExerciseLog.objects.create(
        program_item=strict_item,
        clinic=patient.clinic,
        patient=patient,
        performed_on=today - datetime.timedelta(days=1),
    )
    check = pain_check_record(patient=patient, pain_now=4, compared_to_before="same", today=today)
    assert check.program == strict
    assert check.needs_attention


def test_pain_check_state(patient, exercised_yesterday, today):
    assert pain_check_state(patient, today).due
    pain_check_record(patient=patient, pain_now=1, compared_to_before="same", today=today)
    state = pain_check_state(patient, today)
    assert not state.due and state.today_check.pain_now == 1


class TestPatientFlag:
    def test_no_flag_within_the_limit(self, patient, item, today):
        ExerciseLog.objects.create(
            program_item=item, clinic=patient.clinic, patient=patient, performed_on=today, pain=5
        )
        assert not patient_flag(patient, today).is_flagged

    def test_pain_above_the_limit_during_exercise(self, patient, item, today):
        ExerciseLog.objects.create(
            program_item=item, clinic=patient.clinic, patient=patient, performed_on=today, pain=6
        )
        flag = patient_flag(patient, today)
        assert flag.is_flagged
        assert [(r.text_kind, r.pain, r.limit, r.exercise_name) for r in flag.reasons] == [
            ("log_pain", 6, 5, "Bridge")
        ]

    def test_worse_in_the_morning(self, patient, exercised_yesterday, today):
        pain_check_record(patient=patient, pain_now=2, compared_to_before="worse", today=today)
        assert [r.text_kind for r in patient_flag(patient, today).reasons] == ["check_worse"]

    def test_morning_pain_above_the_limit(self, patient, exercised_yesterday, today):
        pain_check_record(patient=patient, pain_now=7, compared_to_before="same", today=today)
        assert [r.text_kind for r in patient_flag(patient, today).reasons] == ["check_pain"]

    def test_older_than_a_week_no_longer_flags(self, patient, item, today):
        ExerciseLog.objects.create(
            program_item=item,
            clinic=patient.clinic,
            patient=patient,
            performed_on=today - datetime.timedelta(days=7),
            pain=9,
        )
        assert not patient_flag(patient, today).is_flagged
