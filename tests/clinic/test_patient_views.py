import pytest
from django.core import mail
from django.urls import reverse

from clinic.models import Patient
from tests.factories import PatientFactory, TherapistFactory


def test_list_shows_only_this_clinics_patients(client_for, therapist, patient):
    outsider = PatientFactory(last_name="Outsider")

    response = client_for(therapist).get(reverse("patient_list"))

    assert patient.full_name in response.content.decode()
    assert outsider.full_name not in response.content.decode()


def test_search_by_name_and_email(client_for, therapist, clinic):
    PatientFactory(clinic=clinic, first_name="Maria", last_name="Lopez", email="ml@example.org")
    PatientFactory(clinic=clinic, first_name="John", last_name="Smith", email="js@example.org")
    client = client_for(therapist)

    by_name = client.get(reverse("patient_list"), {"q": "lop mar"}).content.decode()
    by_email = client.get(reverse("patient_list"), {"q": "js@"}).content.decode()

    assert "Maria Lopez" in by_name and "John Smith" not in by_name
    assert "John Smith" in by_email and "Maria Lopez" not in by_email


def test_my_patients_filter(client_for, therapist, clinic):
    colleague = TherapistFactory(clinic=clinic)
    PatientFactory(clinic=clinic, first_name="Mine", primary_therapist=therapist)
    PatientFactory(clinic=clinic, first_name="Theirs", primary_therapist=colleague)

    content = client_for(therapist).get(reverse("patient_list"), {"mine": "1"}).content.decode()

    assert "Mine " in content
    assert "Theirs " not in content


def test_empty_states(client_for, therapist):
    client = client_for(therapist)

    assert b"No patients yet" in client.get(reverse("patient_list")).content
    assert b"No patients match" in client.get(reverse("patient_list"), {"q": "zz"}).content


PATIENT_LIST_MAX_QUERIES = 16


@pytest.mark.parametrize("count", [1, 60])
def test_patient_list_runs_a_bounded_number_of_queries(
    client_for, therapist, clinic, django_assert_max_num_queries, count
):
    PatientFactory.create_batch(count, clinic=clinic, primary_therapist=therapist)
    client = client_for(therapist)

    # 6 + the page's adherence and flags (programs/attention.py: patient_statuses), a fixed
    # number whatever the page holds
    with django_assert_max_num_queries(PATIENT_LIST_MAX_QUERIES):
        response = client.get(reverse("patient_list"))

    assert response.status_code == 200


def test_patient_page_runs_a_bounded_number_of_queries(
    client_for, therapist, patient, django_assert_max_num_queries
):
    client = client_for(therapist)

    # 8, + the audit event, the last reminder sent (issue 12), the trends without an active
    # program: pain during exercise, next mornings (issue 13), and 2 for outcome measures
    # without any: assignments, the measures to assign (issue 15).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("patient_detail", args=[patient.pk]))

    assert response.status_code == 200


def test_add_patient_bad_input_keeps_what_was_typed(client_for, therapist, patient):
    response = client_for(therapist).post(
        reverse("patient_add"),
        {"first_name": "Kept", "last_name": "", "email": patient.email.upper()},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "already has a patient with this address" in content
    assert "This field is required" in content
    assert 'value="Kept"' in content
    assert Patient.objects.count() == 1
    assert mail.outbox == []


def test_another_clinics_therapist_id_is_a_form_error(
    client_for, therapist, other_clinic_therapist
):
    response = client_for(therapist).post(
        reverse("patient_add"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "ab@example.org",
            "primary_therapist": other_clinic_therapist.pk,
        },
    )

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not Patient.objects.filter(email="ab@example.org").exists()


def test_the_same_address_may_be_a_patient_in_two_clinics(client_for, therapist, other_clinic):
    PatientFactory(clinic=other_clinic, email="shared@example.org")

    response = client_for(therapist).post(
        reverse("patient_add"),
        {"first_name": "S", "last_name": "Hared", "email": "shared@example.org"},
    )

    assert response.status_code == 302
    assert Patient.objects.filter(email="shared@example.org").count() == 2


def test_changing_the_address_retires_the_pending_invitation(client_for, therapist):
    client = client_for(therapist)
    client.post(
        reverse("patient_add"), {"first_name": "E", "last_name": "Mail", "email": "old@example.org"}
    )
    patient = Patient.objects.get(email="old@example.org")

    response = client.post(
        reverse("patient_edit", args=[patient.pk]),
        {"first_name": "E", "last_name": "Mail", "email": "new@example.org"},
    )

    assert response.status_code == 302
    assert patient.invitations.pending().count() == 0


def test_a_patient_with_an_account_keeps_their_login_address(client_for, therapist, patient):
    client_for(therapist).post(
        reverse("patient_edit", args=[patient.pk]),
        {"first_name": "Renamed", "last_name": "P", "email": "hijack@example.org"},
    )

    patient.refresh_from_db()
    assert patient.first_name == "Renamed"
    assert patient.email == "paula@example.org"


def test_patient_update_service_keeps_the_login_address_and_checks_the_therapist(
    patient, other_clinic_therapist
):
    from django.core.exceptions import ValidationError

    from clinic.services import patient_update

    with pytest.raises(ValidationError, match="login"):
        patient_update(patient=patient, email="new@example.org")
    with pytest.raises(ValidationError, match="therapist of your clinic"):
        patient_update(patient=patient, primary_therapist=other_clinic_therapist)
    patient.refresh_from_db()
    assert patient.email == "paula@example.org"
