"""The therapist's patient page shows the disclaimer acceptance (version, time) and the flag."""

import datetime

from django.urls import reverse

from exercises.models import Disclaimer, DisclaimerKind
from programs.models import ExerciseLog, PainCheck


def patient_page(client_for, therapist, patient):
    response = client_for(therapist).get(reverse("patient_detail", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_acceptance_is_shown_with_version_and_time(client_for, therapist, patient, accepted):
    html = patient_page(client_for, therapist, patient)
    assert "Medical disclaimer" in html
    assert "Version 1 accepted" in html
    assert "not accepted yet" not in html


def test_a_newer_version_not_yet_accepted_is_pointed_out(
    client_for, therapist, patient, accepted, clinic
):
    Disclaimer.objects.create(
        clinic=clinic, kind=DisclaimerKind.MEDICAL, title="New", body="New", version=1
    )
    html = patient_page(client_for, therapist, patient)
    assert "Version 1 accepted" in html
    assert "version 1 not accepted yet" in html


def test_not_accepted_yet(client_for, therapist, patient, medical_disclaimer):
    assert "Not accepted yet" in patient_page(client_for, therapist, patient)


def test_no_flag_when_pain_stays_within_the_limit(client_for, therapist, patient, item, clinic):
    ExerciseLog.objects.create(
        program_item=item,
        clinic=patient.clinic,
        patient=patient,
        performed_on=clinic.today(),
        pain=5,
    )
    assert "Needs attention: pain reported" not in patient_page(client_for, therapist, patient)


def test_flag_for_pain_above_the_limit_and_a_worse_morning(
    client_for, therapist, patient, item, clinic
):
    today = clinic.today()
    ExerciseLog.objects.create(
        program_item=item,
        clinic=patient.clinic,
        patient=patient,
        performed_on=today - datetime.timedelta(days=1),
        pain=7,
    )
    PainCheck.objects.create(
        clinic=patient.clinic,
        patient=patient,
        program=item.program,
        checked_on=today,
        pain_now=3,
        compared_to_before="worse",
    )
    html = patient_page(client_for, therapist, patient)
    assert "Needs attention: pain reported" in html
    assert "pain 7/10 during Bridge (limit 5)" in html
    assert "felt worse the next morning (pain 3/10)" in html


def test_another_clinic_cannot_see_the_page(client_for, other_clinic_therapist, patient, accepted):
    response = client_for(other_clinic_therapist).get(reverse("patient_detail", args=[patient.pk]))
    assert response.status_code == 404
