"""Who may open which catalog page: a matrix by role, then tenant isolation by object.

alice administers clinic A, theo is a therapist there, paula a patient; bob (therapist) and
bea (admin) belong to clinic B.
"""

import pytest
from django.urls import reverse

from exercises.models import Disclaimer, DisclaimerKind, Exercise, ProgressionSeries
from tests.factories import (
    DisclaimerFactory,
    EquipmentFactory,
    ExerciseFactory,
    LibraryExerciseFactory,
    SeriesFactory,
    StepFactory,
)

READ_PAGES = [
    "catalog:exercise_list",
    "catalog:series_list",
    "catalog:equipment_list",
    "catalog:disclaimer_list",
]
ADMIN_PAGES = [
    ("catalog:exercise_create", {}),
    ("catalog:series_create", {}),
    ("catalog:equipment_create", {}),
    ("catalog:disclaimer_publish", {"kind": "medical"}),
]


@pytest.fixture
def people(clinic_admin, therapist, patient):
    return {"admin": clinic_admin, "therapist": therapist, "patient": patient.user}


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 200), ("therapist", 200), ("patient", 403)]
)
def test_read_pages_by_role(client_for, people, name, role, expected):
    assert client_for(people[role]).get(reverse(name)).status_code == expected


@pytest.mark.parametrize(("name", "kwargs"), ADMIN_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 200), ("therapist", 403), ("patient", 403)]
)
def test_admin_pages_by_role(client_for, people, name, kwargs, role, expected):
    assert client_for(people[role]).get(reverse(name, kwargs=kwargs)).status_code == expected


@pytest.mark.parametrize("name", READ_PAGES + [name for name, _ in ADMIN_PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    kwargs = {"kind": "medical"} if name == "catalog:disclaimer_publish" else {}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_patient_cannot_open_an_exercise_of_their_own_clinic(client_for, patient, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    url = reverse("catalog:exercise_detail", args=[exercise.pk])
    assert client_for(patient.user).get(url).status_code == 403


def test_therapist_cannot_change_anything(client_for, therapist, clinic):
    exercise = ExerciseFactory(clinic=clinic, name="Heel raise")
    series = SeriesFactory(clinic=clinic)
    step = StepFactory(series=series, exercise=exercise, position=1)
    client = client_for(therapist)
    posts = [
        reverse("catalog:exercise_edit", args=[exercise.pk]),
        reverse("catalog:exercise_archive", args=[exercise.pk]),
        reverse("catalog:series_edit", args=[series.pk]),
        reverse("catalog:series_step_add", args=[series.pk]),
        reverse("catalog:series_step_move", args=[series.pk, step.pk]),
        reverse("catalog:series_step_remove", args=[series.pk, step.pk]),
        reverse("catalog:disclaimer_publish", args=["medical"]),
    ]
    for url in posts:
        assert client.post(url, {"name": "Changed", "direction": "down"}).status_code == 403
    exercise.refresh_from_db()
    assert exercise.name == "Heel raise" and exercise.is_active
    assert series.steps.count() == 1
    assert not Disclaimer.objects.exists()


def test_therapist_sees_no_edit_buttons(client_for, therapist, clinic_exercise):
    page = client_for(therapist).get(clinic_exercise.get_absolute_url()).content.decode()
    assert reverse("catalog:exercise_edit", args=[clinic_exercise.pk]) not in page
    assert "Archive" not in page


def test_other_clinics_rows_are_404_for_every_page(
    client_for, clinic_admin, therapist, other_clinic
):
    exercise = ExerciseFactory(clinic=other_clinic)
    series = SeriesFactory(clinic=other_clinic)
    step = StepFactory(series=series, exercise=exercise, position=1)
    equipment = EquipmentFactory(clinic=other_clinic)
    disclaimer = DisclaimerFactory(clinic=other_clinic)
    gets = [
        reverse("catalog:exercise_detail", args=[exercise.pk]),
        reverse("catalog:exercise_image", args=[exercise.pk]),
        reverse("catalog:series_detail", args=[series.pk]),
        reverse("catalog:disclaimer_detail", args=[disclaimer.pk]),
    ]
    admin_urls = [
        reverse("catalog:exercise_edit", args=[exercise.pk]),
        reverse("catalog:series_edit", args=[series.pk]),
        reverse("catalog:equipment_edit", args=[equipment.pk]),
    ]
    posts = [
        reverse("catalog:exercise_archive", args=[exercise.pk]),
        reverse("catalog:exercise_restore", args=[exercise.pk]),
        reverse("catalog:exercise_copy", args=[exercise.pk]),
        reverse("catalog:series_step_add", args=[series.pk]),
        reverse("catalog:series_step_edit", args=[series.pk, step.pk]),
        reverse("catalog:series_step_move", args=[series.pk, step.pk]),
        reverse("catalog:series_step_remove", args=[series.pk, step.pk]),
    ]
    for user in (therapist, clinic_admin):
        client = client_for(user)
        for url in gets:
            assert client.get(url).status_code == 404, url
    client = client_for(clinic_admin)
    for url in admin_urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Stolen"}).status_code == 404, url
    for url in posts:
        assert client.post(url, {"direction": "up"}).status_code == 404, url
    exercise.refresh_from_db()
    assert exercise.is_active and exercise.name != "Stolen"
    assert series.steps.count() == 1


def test_other_clinics_rows_never_appear_in_lists(client_for, therapist, other_clinic):
    ExerciseFactory(clinic=other_clinic, name="Secret squat")
    SeriesFactory(clinic=other_clinic, name="Secret series")
    EquipmentFactory(clinic=other_clinic, name="Secret band")
    DisclaimerFactory(clinic=other_clinic, title="Secret terms")
    client = client_for(therapist)
    for name, secret in [
        ("catalog:exercise_list", "Secret squat"),
        ("catalog:series_list", "Secret series"),
        ("catalog:equipment_list", "Secret band"),
        ("catalog:disclaimer_list", "Secret terms"),
    ]:
        assert secret not in client.get(reverse(name)).content.decode()


def test_admin_cannot_edit_archive_or_change_library_rows(client_for, clinic_admin):
    exercise = LibraryExerciseFactory(name="Library bridge")
    series = SeriesFactory(clinic=None)
    step = StepFactory(series=series, exercise=exercise, position=1)
    client = client_for(clinic_admin)
    assert client.get(reverse("catalog:exercise_edit", args=[exercise.pk])).status_code == 404
    for url in [
        reverse("catalog:exercise_edit", args=[exercise.pk]),
        reverse("catalog:exercise_archive", args=[exercise.pk]),
        reverse("catalog:series_edit", args=[series.pk]),
        reverse("catalog:series_step_remove", args=[series.pk, step.pk]),
    ]:
        assert client.post(url, {"name": "Hijacked"}).status_code == 404, url
    exercise.refresh_from_db()
    assert exercise.name == "Library bridge" and exercise.is_active
    assert ProgressionSeries.objects.get(pk=series.pk).steps.count() == 1
    # ...but reading them is fine.
    assert client.get(exercise.get_absolute_url()).status_code == 200


def test_another_clinics_exercise_posted_into_a_step_form_is_a_form_error(
    client_for, clinic_admin, clinic, other_clinic_exercise
):
    series = SeriesFactory(clinic=clinic)
    response = client_for(clinic_admin).post(
        reverse("catalog:series_step_add", args=[series.pk]),
        {"exercise": other_clinic_exercise.pk, "advance_when": ""},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert other_clinic_exercise.name not in response.content.decode()
    assert not series.steps.exists()


def test_another_clinics_equipment_posted_into_an_exercise_form_is_a_form_error(
    client_for, clinic_admin, other_clinic
):
    foreign = EquipmentFactory(clinic=other_clinic, name="Their band")
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"),
        {
            "name": "Band row",
            "summary": "Rowing with a band.",
            "position": "standing",
            "starting_position": "Stand tall.",
            "instructions": "Pull.",
            "difficulty": 2,
            "equipment": [foreign.pk],
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Exercise.objects.filter(name="Band row").exists()


def test_another_clinics_equipment_in_the_list_filter_is_ignored(
    client_for, therapist, clinic, other_clinic
):
    foreign = EquipmentFactory(clinic=other_clinic)
    ExerciseFactory(clinic=other_clinic, name="Their exercise", equipment=[foreign])
    ExerciseFactory(clinic=clinic, name="Our exercise")
    page = client_for(therapist).get(reverse("catalog:exercise_list"), {"equipment": foreign.pk})
    assert page.status_code == 200
    assert "Their exercise" not in page.content.decode()


def test_a_clinic_disclaimer_is_not_current_for_another_clinic(
    client_for, other_clinic_therapist, clinic
):
    DisclaimerFactory(clinic=None, kind=DisclaimerKind.MEDICAL, title="Default terms")
    DisclaimerFactory(clinic=clinic, kind=DisclaimerKind.MEDICAL, title="Clinic A terms")
    page = client_for(other_clinic_therapist).get(reverse("catalog:disclaimer_list"))
    assert "Default terms" in page.content.decode()
    assert "Clinic A terms" not in page.content.decode()
