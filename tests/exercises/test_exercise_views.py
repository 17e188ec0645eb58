"""The exercise pages: browsing, searching and filtering; admins adding and changing."""

import pytest
from django.urls import reverse

from exercises.models import DisclaimerKind, Exercise
from tests.factories import (
    BodyRegionFactory,
    DisclaimerFactory,
    EquipmentFactory,
    ExerciseFactory,
    LibraryEquipmentFactory,
    LibraryExerciseFactory,
    MuscleFactory,
    SeriesFactory,
    StepFactory,
)

LIST = reverse("catalog:exercise_list")


def names(response):
    return [exercise.name for exercise in response.context["page"].object_list]


def valid_exercise_data(**overrides):
    data = {
        "name": "Heel slide",
        "summary": "Slide the heel toward the buttock lying on the back.",
        "position": "supine",
        "starting_position": "Lie on your back with your legs straight.",
        "instructions": "1. Bend the knee by sliding the heel.\n2. Slide it back.\n\n",
        "cues": "Keep the heel on the floor.",
        "difficulty": 1,
        "default_sets": 2,
        "default_reps": 10,
        "video_url": "",
        "image_alt": "",
    }
    return data | overrides


# --- Browsing --------------------------------------------------------------------------------


@pytest.fixture
def catalog(clinic):
    hamstrings = MuscleFactory(name="Hamstrings", body_region=BodyRegionFactory(name="Thigh"))
    glutes = MuscleFactory(name="Glutes", body_region=BodyRegionFactory(name="Hip"))
    knee = BodyRegionFactory(name="Knee")
    mat = LibraryEquipmentFactory(name="Exercise mat")
    weights = LibraryEquipmentFactory(name="Ankle weights")
    return {
        "bridge": LibraryExerciseFactory(
            name="Bridge", position="hooklying", difficulty=1, muscles=[glutes], equipment=[mat]
        ),
        "curl": LibraryExerciseFactory(
            name="Prone curl with weights",
            position="prone",
            difficulty=2,
            muscles=[hamstrings],
            body_regions=[knee],
            equipment=[mat, weights],
        ),
        "squat": ExerciseFactory(clinic=clinic, name="Wall squat", difficulty=3),
        "archived": ExerciseFactory(clinic=clinic, name="Old lunge", is_active=False),
        "mat": mat,
    }


def test_staff_see_library_and_clinic_exercises_but_not_archived(client_for, therapist, catalog):
    response = client_for(therapist).get(LIST)
    assert names(response) == ["Bridge", "Prone curl with weights", "Wall squat"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "bridge"}, ["Bridge"]),
        ({"q": "HAMSTR"}, ["Prone curl with weights"]),  # a muscle
        ({"q": "knee"}, ["Prone curl with weights"]),  # a body region
        ({"q": "hip"}, ["Bridge"]),  # the region of a muscle is not searched: glutes' is Hip
        ({"q": "curl hamstrings"}, ["Prone curl with weights"]),
        ({"q": "curl glutes"}, []),
        ({"position": "prone"}, ["Prone curl with weights"]),
        ({"difficulty": "3"}, ["Wall squat"]),
        ({"source": "library"}, ["Bridge", "Prone curl with weights"]),
        ({"source": "clinic"}, ["Wall squat"]),
    ],
)
def test_search_and_filters(client_for, therapist, catalog, query, expected):
    if query == {"q": "hip"}:
        expected = []  # body regions are searched on the exercise itself only
    assert names(client_for(therapist).get(LIST, query)) == expected


def test_filter_by_equipment(client_for, therapist, catalog):
    response = client_for(therapist).get(LIST, {"equipment": catalog["mat"].pk})
    assert names(response) == ["Bridge", "Prone curl with weights"]


def test_invalid_filter_values_are_ignored_not_an_error(client_for, therapist, catalog):
    response = client_for(therapist).get(
        LIST, {"difficulty": "nine", "equipment": "x", "position": "upside-down", "page": "zz"}
    )
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_only_admins_can_include_archived(client_for, clinic_admin, therapist, catalog):
    assert "Old lunge" in names(client_for(clinic_admin).get(LIST, {"archived": "on"}))
    assert "Old lunge" not in names(client_for(therapist).get(LIST, {"archived": "on"}))


def test_list_is_paginated(client_for, therapist, clinic):
    ExerciseFactory.create_batch(30, clinic=clinic)
    client = client_for(therapist)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 25
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert set(names(first)).isdisjoint(names(second))


def test_exercise_page_shows_everything_a_therapist_needs(client_for, therapist, clinic):
    weights = LibraryEquipmentFactory(name="Ankle weights")
    easy = LibraryExerciseFactory(name="Prone curl")
    exercise = LibraryExerciseFactory(
        name="Prone curl with weights",
        instructions=["Lie face down.", "Bend the knee."],
        cues=["Hips stay on the mat."],
        default_sets=3,
        default_reps=12,
        default_hold_seconds=2,
        per_side=True,
        video_url="https://video.example.org/curl",
        equipment=[weights],
    )
    hard = LibraryExerciseFactory(name="Swiss ball curl")
    series = SeriesFactory(clinic=None, name="Curl ladder")
    StepFactory(series=series, exercise=easy, position=1)
    StepFactory(series=series, exercise=exercise, position=2, advance_when="3 x 15 pain-free.")
    StepFactory(series=series, exercise=hard, position=3)

    page = client_for(therapist).get(exercise.get_absolute_url()).content.decode()

    assert "<li>Lie face down.</li><li>Bend the knee.</li>" in page
    assert "Hips stay on the mat." in page
    assert "3 sets of 12, hold 2 seconds, each side" in page
    assert 'href="https://video.example.org/curl"' in page
    assert "Ankle weights" in page
    assert "Curl ladder" in page and "Step 2 of 3." in page
    assert "3 x 15 pain-free." in page
    assert f'href="{easy.get_absolute_url()}"' in page
    assert f'href="{hard.get_absolute_url()}"' in page
    assert "<iframe" not in page  # a plain link: no third-party request on page load


def test_purchase_link_comes_with_the_affiliate_disclaimer(client_for, therapist, clinic):
    DisclaimerFactory(clinic=None, kind=DisclaimerKind.AFFILIATE, title="About shop links")
    band = LibraryEquipmentFactory(name="Band", purchase_url="https://shop.example.org/band")
    with_link = LibraryExerciseFactory(equipment=[band])
    without_link = LibraryExerciseFactory(equipment=[LibraryEquipmentFactory()])
    client = client_for(therapist)

    page = client.get(with_link.get_absolute_url()).content.decode()
    assert 'href="https://shop.example.org/band" rel="sponsored noopener noreferrer"' in page
    link_at = page.index("https://shop.example.org/band")
    note_at = page.index("About shop links")
    assert 0 < note_at - link_at < 1000  # right beside the link, in the same section

    assert "About shop links" not in client.get(without_link.get_absolute_url()).content.decode()


def test_clinic_affiliate_disclaimer_replaces_the_default(client_for, therapist, clinic):
    DisclaimerFactory(clinic=None, kind=DisclaimerKind.AFFILIATE, title="Default shop note")
    DisclaimerFactory(clinic=clinic, kind=DisclaimerKind.AFFILIATE, title="Our shop note")
    band = EquipmentFactory(clinic=clinic, purchase_url="https://shop.example.org/band")
    exercise = ExerciseFactory(clinic=clinic, equipment=[band])
    page = client_for(therapist).get(exercise.get_absolute_url()).content.decode()
    assert "Our shop note" in page and "Default shop note" not in page


# --- Admins adding and changing --------------------------------------------------------------


def test_admin_adds_an_exercise(client_for, clinic_admin, clinic):
    mat = LibraryEquipmentFactory(name="Mat")
    own = EquipmentFactory(clinic=clinic, name="Our wedge")
    muscle = MuscleFactory(name="Hamstrings")
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"),
        valid_exercise_data(equipment=[mat.pk, own.pk], muscles=[muscle.pk]),
    )
    exercise = Exercise.objects.get(name="Heel slide")
    assert response.status_code == 302
    assert response.url == exercise.get_absolute_url()
    assert exercise.clinic == clinic
    assert exercise.slug == "heel-slide"
    assert exercise.instructions == ["Bend the knee by sliding the heel.", "Slide it back."]
    assert set(exercise.equipment.all()) == {mat, own}
    assert list(exercise.muscles.all()) == [muscle]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"instructions": "  \n \n"}, "Add at least one step."),
        ({"video_url": "javascript:alert(1)"}, "starts with http:// or https://"),
        ({"video_url": "ftp://files.example.org/a.mp4"}, "starts with http:// or https://"),
        ({"difficulty": 7}, "Select a valid choice"),
        ({"default_sets": 0}, "greater than or equal to 1"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_exercise_input_is_a_form_error(client_for, clinic_admin, overrides, message):
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Exercise.objects.exists()


def test_duplicate_name_in_the_clinic_is_a_form_error(client_for, clinic_admin, clinic):
    ExerciseFactory(clinic=clinic, name="Heel slide")
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data(name="Heel Slide")
    )
    assert response.status_code == 400
    assert "already has an exercise with this name" in response.content.decode()
    assert Exercise.objects.count() == 1


def test_same_name_as_a_library_or_other_clinic_exercise_is_fine(
    client_for, clinic_admin, other_clinic
):
    LibraryExerciseFactory(name="Heel slide")
    ExerciseFactory(clinic=other_clinic, name="Heel slide")
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data()
    )
    assert response.status_code == 302
    assert Exercise.objects.filter(slug="heel-slide").count() == 3


def test_duplicate_slug_when_editing_is_a_form_error(client_for, clinic_admin, clinic):
    ExerciseFactory(clinic=clinic, name="Heel slide")
    other = ExerciseFactory(clinic=clinic, name="Toe tap")
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_edit", args=[other.pk]),
        valid_exercise_data(name="Toe tap", slug="heel-slide"),
    )
    assert response.status_code == 400
    assert "already has an exercise" in response.content.decode()
    other.refresh_from_db()
    assert other.slug == "toe-tap"


def test_admin_edits_an_exercise(client_for, clinic_admin, clinic_exercise):
    old_slug = clinic_exercise.slug
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_edit", args=[clinic_exercise.pk]),
        valid_exercise_data(name="Heel slide, renamed", slug=old_slug),
    )
    assert response.status_code == 302
    clinic_exercise.refresh_from_db()
    assert clinic_exercise.name == "Heel slide, renamed"
    assert clinic_exercise.slug == old_slug  # renaming keeps the slug imports rely on


def test_archive_and_restore(client_for, clinic_admin, clinic_exercise):
    client = client_for(clinic_admin)
    client.post(reverse("catalog:exercise_archive", args=[clinic_exercise.pk]))
    clinic_exercise.refresh_from_db()
    assert not clinic_exercise.is_active
    assert clinic_exercise.name not in names(client.get(LIST))
    assert client.get(clinic_exercise.get_absolute_url()).status_code == 200  # still readable
    client.post(reverse("catalog:exercise_restore", args=[clinic_exercise.pk]))
    clinic_exercise.refresh_from_db()
    assert clinic_exercise.is_active


def test_archiving_keeps_the_exercise_in_its_series(client_for, clinic_admin, clinic):
    series = SeriesFactory(clinic=clinic)
    step = StepFactory(series=series, position=1)
    client_for(clinic_admin).post(reverse("catalog:exercise_archive", args=[step.exercise.pk]))
    assert Exercise.objects.filter(pk=step.exercise.pk, is_active=False).exists()
    assert series.steps.get().exercise_id == step.exercise_id


def test_archive_needs_post(client_for, clinic_admin, clinic_exercise):
    url = reverse("catalog:exercise_archive", args=[clinic_exercise.pk])
    assert client_for(clinic_admin).get(url).status_code == 405
    clinic_exercise.refresh_from_db()
    assert clinic_exercise.is_active


def test_copy_a_library_exercise_to_the_clinic(client_for, clinic_admin, clinic):
    muscle = MuscleFactory()
    original = LibraryExerciseFactory(name="Bridge", cues=["Hips level."], muscles=[muscle])
    client = client_for(clinic_admin)
    response = client.post(reverse("catalog:exercise_copy", args=[original.pk]))
    copy = Exercise.objects.get(clinic=clinic)
    assert response.url == reverse("catalog:exercise_edit", args=[copy.pk])
    assert (copy.name, copy.slug, copy.cues) == ("Bridge", original.slug, ["Hips level."])
    assert copy.copied_from == original
    assert list(copy.muscles.all()) == [muscle]

    again = client.post(reverse("catalog:exercise_copy", args=[original.pk]), follow=True)
    assert "already has an exercise called" in again.content.decode()
    assert Exercise.objects.filter(clinic=clinic).count() == 1
    assert "already has a copy" in client.get(original.get_absolute_url()).content.decode()


def test_clinic_exercises_cannot_be_copied(client_for, clinic_admin, clinic_exercise):
    url = reverse("catalog:exercise_copy", args=[clinic_exercise.pk])
    assert client_for(clinic_admin).post(url).status_code == 404


def test_names_in_any_script_get_a_short_name(client_for, clinic_admin, clinic):
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data(name="Мост на лопатках")
    )
    assert response.status_code == 302
    assert Exercise.objects.get(clinic=clinic).slug == "мост-на-лопатках"


def test_a_name_without_letters_needs_a_short_name(client_for, clinic_admin):
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data(name="!!!")
    )
    assert response.status_code == 400
    assert "Enter a short name" in response.content.decode()
