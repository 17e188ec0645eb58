from clinic.models import Patient, Role


def test_named_actors_belong_where_their_names_say(patient, other_clinic_therapist, clinic):
    assert patient.clinic == clinic
    assert patient.user.role == Role.PATIENT
    assert patient.user.clinic == clinic
    assert other_clinic_therapist.clinic != clinic
    assert Patient.objects.for_user(other_clinic_therapist).count() == 0
