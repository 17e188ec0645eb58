"""The catalog list's table is cached per clinic, and shows every change at once."""

from django.urls import reverse

from tests.factories import EquipmentFactory, ExerciseFactory, LibraryExerciseFactory

URL = reverse("catalog:exercise_list")


def test_a_renamed_exercise_shows_at_once(client_for, therapist, clinic):
    exercise = ExerciseFactory(clinic=clinic, name="Wall sit")
    client = client_for(therapist)
    assert "Wall sit" in client.get(URL).content.decode()
    exercise.name = "Wall squat hold"
    exercise.save()
    assert "Wall squat hold" in client.get(URL).content.decode()


def test_a_new_or_archived_exercise_shows_at_once(client_for, therapist, clinic):
    ExerciseFactory(clinic=clinic, name="Wall sit")
    client = client_for(therapist)
    client.get(URL)
    added = ExerciseFactory(clinic=clinic, name="Step up")
    assert "Step up" in client.get(URL).content.decode()
    added.is_active = False
    added.save()
    assert "Step up" not in client.get(URL).content.decode()


def test_renamed_equipment_shows_at_once(client_for, therapist, clinic):
    band = EquipmentFactory(clinic=clinic, name="Red band")
    ExerciseFactory(clinic=clinic, name="Band row", equipment=[band])
    client = client_for(therapist)
    assert "Red band" in client.get(URL).content.decode()
    band.name = "Green band"
    band.save()
    assert "Green band" in client.get(URL).content.decode()


def test_one_clinic_never_sees_another_clinics_cached_table(
    client_for, therapist, other_clinic_therapist, clinic, other_clinic
):
    LibraryExerciseFactory(name="Bridge")
    ExerciseFactory(clinic=clinic, name="Our secret drill")
    assert "Our secret drill" in client_for(therapist).get(URL).content.decode()
    page = client_for(other_clinic_therapist).get(URL).content.decode()
    assert "Bridge" in page
    assert "Our secret drill" not in page
