"""Exercise videos: MP4 or WebM told by their bytes, under the size limit, stored through the
storage API, served only to people who may see the exercise, with HTTP range requests (206,
416) so a player can scrub; shown with a poster frame on the catalog and portal pages."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exercises.models import Exercise
from exercises.validators import video_type
from tests.exercises.test_exercise_views import valid_exercise_data
from tests.factories import ExerciseFactory, image_upload

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + bytes(512)
)


def mp4_upload(name="knee.mp4", content=MP4):
    return SimpleUploadedFile(name, content, content_type="video/mp4")


def stored_video(clinic, content=MP4, name="knee.mp4", **fields):
    exercise = ExerciseFactory(clinic=clinic, **fields)
    exercise.video.save(name, ContentFile(content), save=True)
    return exercise


def video_url(exercise):
    return reverse("catalog:exercise_video", args=[exercise.pk])


def body(response):
    return b"".join(response.streaming_content)


def test_signatures_are_read_from_the_bytes():
    assert video_type(MP4[:64]) == "video/mp4"
    assert video_type(WEBM[:64]) == "video/webm"
    assert video_type(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00") is None  # QuickTime .mov
    assert video_type(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska") is None
    assert video_type(b"just text, named .mp4") is None


@pytest.mark.parametrize(("name", "content"), [("knee.mp4", MP4), ("knee.webm", WEBM)])
def test_an_admin_uploads_a_video_with_a_poster(
    client_for, clinic_admin, media_root, name, content
):
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"),
        valid_exercise_data(
            video=SimpleUploadedFile(name, content), video_poster=image_upload("poster.png")
        ),
    )
    assert response.status_code == 302
    exercise = Exercise.objects.get()
    assert default_storage.exists(exercise.video.name)
    assert (media_root / exercise.video.name).read_bytes() == content
    assert exercise.video_poster.name.startswith("exercises/posters/")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("knee.mp4", b"this is not a video at all, only words"),
        SimpleUploadedFile("knee.webm", MP4),  # an MP4 named .webm
        SimpleUploadedFile("knee.avi", MP4),
        SimpleUploadedFile("knee.mov", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + bytes(64)),
    ],
    ids=["text", "wrong-extension", "avi", "quicktime"],
)
def test_a_file_that_is_not_mp4_or_webm_is_a_clear_form_error(client_for, clinic_admin, upload):
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data(video=upload)
    )
    assert response.status_code == 400
    assert "Upload an MP4 or WebM video." in response.content.decode()
    assert not Exercise.objects.exists()


def test_a_video_over_the_limit_is_a_clear_form_error(client_for, clinic_admin, settings):
    settings.EXERCISE_VIDEO_MAX_BYTES = 1024
    response = client_for(clinic_admin).post(
        reverse("catalog:exercise_create"), valid_exercise_data(video=mp4_upload())
    )
    assert response.status_code == 400
    assert "the largest allowed is 1.0\xa0KB" in response.content.decode()
    assert not Exercise.objects.exists()


def test_the_limit_comes_from_the_settings(settings):
    assert settings.EXERCISE_VIDEO_MAX_BYTES == 50 * 1024 * 1024


# --- Serving, with ranges ---------------------------------------------------------------------


def test_the_whole_video_says_it_accepts_ranges(client_for, therapist):
    exercise = stored_video(therapist.clinic)
    response = client_for(therapist).get(video_url(exercise))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(MP4))
    assert body(response) == MP4


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, len(MP4) - 1),  # open-ended
        ("bytes=-50", len(MP4) - 50, len(MP4) - 1),  # the last 50 bytes
        ("bytes=1000-999999", 1000, len(MP4) - 1),  # clipped to the end
    ],
)
def test_a_range_answers_206_with_those_bytes(client_for, therapist, header, first, last):
    exercise = stored_video(therapist.clinic)
    response = client_for(therapist).get(video_url(exercise), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(MP4)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == MP4[first : last + 1]


@pytest.mark.parametrize(
    "header", ["bytes=99999-", "bytes=50-10", "bytes=-0", "bytes=abc", "bytes=-", "chunks=1-2"]
)
def test_a_bad_range_answers_416(client_for, therapist, header):
    exercise = stored_video(therapist.clinic)
    response = client_for(therapist).get(video_url(exercise), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(MP4)}"


def test_webm_is_served_as_webm(client_for, therapist):
    exercise = stored_video(therapist.clinic, content=WEBM, name="knee.webm")
    response = client_for(therapist).get(video_url(exercise), HTTP_RANGE="bytes=0-3")
    assert response["Content-Type"] == "video/webm"
    assert body(response) == b"\x1a\x45\xdf\xa3"


def test_no_video_answers_404(client_for, therapist):
    exercise = ExerciseFactory(clinic=therapist.clinic)
    assert client_for(therapist).get(video_url(exercise)).status_code == 404
    poster = reverse("catalog:exercise_video_poster", args=[exercise.pk])
    assert client_for(therapist).get(poster).status_code == 404


def test_another_clinics_video_answers_404(client_for, therapist, other_clinic):
    theirs = stored_video(other_clinic)
    client = client_for(therapist)
    assert client.get(video_url(theirs)).status_code == 404
    assert client.get(video_url(theirs), HTTP_RANGE="bytes=0-10").status_code == 404


def test_signed_out_visitors_get_no_video(client, clinic):
    exercise = stored_video(clinic)
    assert client.get(video_url(exercise)).status_code in (302, 403, 404)


def test_catalog_page_shows_the_player_with_its_poster(client_for, therapist):
    exercise = stored_video(therapist.clinic)
    exercise.video_poster.save("poster.png", image_upload("poster.png"), save=True)
    html = client_for(therapist).get(exercise.get_absolute_url()).content.decode()
    poster = reverse("catalog:exercise_video_poster", args=[exercise.pk])
    assert f'poster="{poster}"' in html and "<video controls" in html
    assert f'<source src="{video_url(exercise)}" type="video/mp4">' in html
    served = client_for(therapist).get(poster)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
