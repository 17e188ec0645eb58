"""Exercise images: only real JPEG, PNG or WebP pictures under the size limit; stored through
the storage API and served only to people who may see the exercise."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exercises.models import Exercise
from tests.exercises.test_exercise_views import valid_exercise_data
from tests.factories import ExerciseFactory, image_upload


def post_with_image(client, upload):
    return client.post(
        reverse("catalog:exercise_create"), valid_exercise_data(image=upload, image_alt="A knee")
    )


def test_a_png_is_stored_in_media_and_served_to_staff(
    client_for, clinic_admin, therapist, media_root
):
    response = post_with_image(client_for(clinic_admin), image_upload())
    assert response.status_code == 302
    exercise = Exercise.objects.get()
    assert exercise.image.name.startswith("exercises/")
    assert (media_root / exercise.image.name).exists()

    image_url = reverse("catalog:exercise_image", args=[exercise.pk])
    page = client_for(therapist).get(exercise.get_absolute_url()).content.decode()
    assert f'<img src="{image_url}" alt="A knee">' in page
    served = client_for(therapist).get(image_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.png", b"just some text", content_type="image/png"),
            "Upload a valid image",
        ),
        (image_upload("anim.gif", "GIF"), "Upload a JPEG, PNG or WebP image"),
        (
            SimpleUploadedFile(
                "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
            ),
            "Upload a valid image",
        ),
    ],
)
def test_non_images_and_other_formats_are_form_errors(client_for, clinic_admin, upload, message):
    response = post_with_image(client_for(clinic_admin), upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Exercise.objects.exists()


def test_an_oversized_image_is_a_form_error(client_for, clinic_admin, settings, media_root):
    settings.EXERCISE_IMAGE_MAX_BYTES = 1000
    big = image_upload("big.jpg", "JPEG", size=(400, 400))
    assert big.size > 1000
    response = post_with_image(client_for(clinic_admin), big)
    assert response.status_code == 400
    assert "the largest allowed is" in response.content.decode()
    assert not Exercise.objects.exists()
    assert not list(media_root.rglob("*.jpg"))


def test_an_edit_without_a_new_upload_keeps_the_image(client_for, clinic_admin):
    client = client_for(clinic_admin)
    post_with_image(client, image_upload())
    exercise = Exercise.objects.get()
    name = exercise.image.name
    client.post(
        reverse("catalog:exercise_edit", args=[exercise.pk]),
        valid_exercise_data(name="Renamed", slug=exercise.slug, image_alt="A knee"),
    )
    exercise.refresh_from_db()
    assert exercise.name == "Renamed" and exercise.image.name == name


def test_no_image_is_404(client_for, therapist, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    url = reverse("catalog:exercise_image", args=[exercise.pk])
    assert client_for(therapist).get(url).status_code == 404


def test_another_clinic_cannot_fetch_the_image(client_for, clinic_admin, other_clinic_therapist):
    post_with_image(client_for(clinic_admin), image_upload())
    exercise = Exercise.objects.get()
    url = reverse("catalog:exercise_image", args=[exercise.pk])
    assert client_for(other_clinic_therapist).get(url).status_code == 404
