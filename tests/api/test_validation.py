"""Bad input answers 400 with messages by field, whether the serializer or a service finds it;
another clinic's ids in a body are unknown ids (400), never a leak or a 500."""

from datetime import timedelta

from programs.models import ExerciseLog, Program


def test_program_without_title_names_the_field(world, api_for, therapist):
    response = api_for(therapist).post(
        "/api/v1/programs/", {"patient": world.program.patient_id}, format="json"
    )

    assert response.status_code == 400
    assert "title" in response.json()


def test_service_rule_becomes_a_field_error(world, api_for, therapist):
    """program_create's own check (end before start) arrives as the service words it."""
    response = api_for(therapist).post(
        "/api/v1/programs/",
        {
            "patient": world.program.patient_id,
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


def test_status_change_refused_with_the_services_message(world, api_for, therapist):
    client = api_for(therapist)
    client.post(f"/api/v1/programs/{world.program.pk}/complete/")

    response = client.post(f"/api/v1/programs/{world.program.pk}/pause/")

    assert response.status_code == 400
    assert response.json() == {"status": ["A completed program cannot become paused."]}


def test_load_must_be_consistent(world, api_for, therapist):
    response = api_for(therapist).patch(
        f"/api/v1/programs/{world.program.pk}/items/{world.item.pk}/",
        {"load_unit": "kg"},
        format="json",
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_another_clinics_exercise_cannot_be_added(world, api_for, therapist):
    response = api_for(therapist).post(
        f"/api/v1/programs/{world.program.pk}/items/",
        {"exercise": world.other_exercise.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "exercise" in response.json()
    assert world.program.items.count() == 2


def test_another_clinics_patient_cannot_get_a_program(world, api_for, therapist):
    response = api_for(therapist).post(
        "/api/v1/programs/",
        {"patient": world.other_program.patient_id, "title": "Knee"},
        format="json",
    )

    assert response.status_code == 400
    assert "patient" in response.json()
    assert not Program.objects.filter(title="Knee").exists()


def test_another_clinics_therapist_cannot_be_primary(
    world, api_for, therapist, other_clinic_therapist
):
    response = api_for(therapist).patch(
        f"/api/v1/patients/{world.program.patient_id}/",
        {"primary_therapist": other_clinic_therapist.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "primary_therapist" in response.json()


def test_duplicate_patient_address_is_refused(world, api_for, therapist, patient):
    response = api_for(therapist).post(
        "/api/v1/patients/",
        {"first_name": "Paula", "last_name": "Again", "email": patient.email.upper()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"email": ["This clinic already has a patient with this address."]}


def test_patient_with_account_keeps_their_address(world, api_for, therapist, patient):
    response = api_for(therapist).patch(
        f"/api/v1/patients/{patient.pk}/", {"email": "new@example.org"}, format="json"
    )

    assert response.status_code == 400
    assert "email" in response.json()


def test_new_address_retires_old_invitation_links(world, api_for, therapist):
    invitee = world.invitee
    client = api_for(therapist)
    client.post(f"/api/v1/patients/{invitee.pk}/invitation/")

    response = client.patch(
        f"/api/v1/patients/{invitee.pk}/", {"email": "moved@example.org"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["invitation_pending"] is False


def test_patient_log_pain_out_of_range(world, api_for, patient):
    response = api_for(patient.user).post(
        "/api/v1/me/logs/", {"program_item": world.item.pk, "pain": 11}, format="json"
    )

    assert response.status_code == 400
    assert "pain" in response.json()


def test_patient_cannot_log_a_future_day(world, api_for, patient, clinic):
    tomorrow = clinic.today() + timedelta(days=1)

    response = api_for(patient.user).post(
        "/api/v1/me/logs/",
        {"program_item": world.item.pk, "performed_on": tomorrow.isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"performed_on": ["You cannot log a day that has not come yet."]}
    assert ExerciseLog.objects.count() == 1


def test_exercise_write_needs_steps(world, api_for, clinic_admin):
    response = api_for(clinic_admin).post(
        "/api/v1/exercises/",
        {"name": "Clam", "summary": "x", "position": "prone", "starting_position": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "instructions" in response.json()


def test_filter_out_of_bounds_is_400(world, api_for, therapist):
    response = api_for(therapist).get("/api/v1/programs/", {"patient": 0})

    assert response.status_code == 400
    assert "patient" in response.json()
