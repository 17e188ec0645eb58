"""Bad input answers 400 with messages by field, whether the serializer or a service finds it;
another clinic's ids in a body are unknown ids (400), never a leak or a 500."""

from datetime import timedelta

from programs.models import ExerciseLog, Program
from tests.factories import PatientFactory


def test_program_without_title_names_the_field(patient, api_for, therapist):
    response = api_for(therapist).post("/api/v1/programs/", {"patient": patient.pk}, format="json")

    assert response.status_code == 400
    assert "title" in response.json()


def test_service_rule_becomes_a_field_error(patient, api_for, therapist):
    """program_create's own check (end before start) arrives as the service words it."""
    response = api_for(therapist).post(
        "/api/v1/programs/",
        {
            "patient": patient.pk,
            "title": "Knee",
            "start_date": "2026-05-10",
            "end_date": "2026-05-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The end date cannot be before the start date."]
    }


def test_status_change_refused_with_the_services_message(active_program, api_for, therapist):
    client = api_for(therapist)
    client.post(f"/api/v1/programs/{active_program.pk}/complete/")

    response = client.post(f"/api/v1/programs/{active_program.pk}/pause/")

    assert response.status_code == 400
    assert response.json() == {"status": ["A completed program cannot become paused."]}


def test_load_must_be_consistent(item, api_for, therapist):
    response = api_for(therapist).patch(
        f"/api/v1/programs/{item.program_id}/items/{item.pk}/",
        {"load_unit": "kg"},
        format="json",
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_another_clinics_exercise_cannot_be_added(item, other_clinic_exercise, api_for, therapist):
    response = api_for(therapist).post(
        f"/api/v1/programs/{item.program_id}/items/",
        {"exercise": other_clinic_exercise.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "exercise" in response.json()
    assert list(item.program.items.all()) == [item]


def test_another_clinics_patient_cannot_get_a_program(other_clinic, api_for, therapist):
    response = api_for(therapist).post(
        "/api/v1/programs/",
        {"patient": PatientFactory(clinic=other_clinic).pk, "title": "Knee"},
        format="json",
    )

    assert response.status_code == 400
    assert "patient" in response.json()
    assert not Program.objects.filter(title="Knee").exists()


def test_another_clinics_therapist_cannot_be_primary(
    patient, api_for, therapist, other_clinic_therapist
):
    response = api_for(therapist).patch(
        f"/api/v1/patients/{patient.pk}/",
        {"primary_therapist": other_clinic_therapist.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "primary_therapist" in response.json()


def test_duplicate_patient_address_is_refused(api_for, therapist, patient):
    response = api_for(therapist).post(
        "/api/v1/patients/",
        {"first_name": "Paula", "last_name": "Again", "email": patient.email.upper()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"email": ["This clinic already has a patient with this address."]}


def test_patient_with_account_keeps_their_address(api_for, therapist, patient):
    response = api_for(therapist).patch(
        f"/api/v1/patients/{patient.pk}/", {"email": "new@example.org"}, format="json"
    )

    assert response.status_code == 400
    assert "email" in response.json()


def test_new_address_retires_old_invitation_links(invitee, api_for, therapist):
    client = api_for(therapist)
    client.post(f"/api/v1/patients/{invitee.pk}/invitation/")

    response = client.patch(
        f"/api/v1/patients/{invitee.pk}/", {"email": "moved@example.org"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["invitation_pending"] is False


def test_patient_log_pain_out_of_range(accepted, item, api_for, patient):
    response = api_for(patient.user).post(
        "/api/v1/me/logs/", {"program_item": item.pk, "pain": 11}, format="json"
    )

    assert response.status_code == 400
    assert "pain" in response.json()


def test_patient_cannot_log_a_future_day(accepted, item, api_for, patient, clinic):
    tomorrow = clinic.today() + timedelta(days=1)

    response = api_for(patient.user).post(
        "/api/v1/me/logs/",
        {"program_item": item.pk, "performed_on": tomorrow.isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"performed_on": ["You cannot log a day that has not come yet."]}
    assert not ExerciseLog.objects.exists()


def test_exercise_write_needs_steps(api_for, clinic_admin):
    response = api_for(clinic_admin).post(
        "/api/v1/exercises/",
        {"name": "Clam", "summary": "x", "position": "prone", "starting_position": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "instructions" in response.json()


def test_filter_out_of_bounds_is_400(api_for, therapist):
    response = api_for(therapist).get("/api/v1/programs/", {"patient": 0})

    assert response.status_code == 400
    assert "patient" in response.json()
