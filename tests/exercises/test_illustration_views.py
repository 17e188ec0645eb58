"""The drawn pictures over HTTP in the catalog and the builder: served as SVG to staff who may
see the exercise, shown with a text alternative on the exercise page, the builder's cards and
the handout."""

import json

import pytest
from django.urls import reverse

from exercises.library import LIBRARY_DIR
from tests.factories import (
    ExerciseFactory,
    LibraryExerciseFactory,
    ProgramFactory,
    ProgramItemFactory,
)

POSES = {
    e["slug"]: e["poses"]
    for e in json.loads((LIBRARY_DIR / "hamstring.json").read_text(encoding="utf-8"))["exercises"]
}


@pytest.fixture
def bridge(db):
    return LibraryExerciseFactory(name="Bridge", slug="bridge", poses=POSES["bridge"])


def illustration_url(exercise, frame):
    return reverse("catalog:exercise_illustration", args=[exercise.pk, frame])


@pytest.mark.parametrize("frame", ["start", "end", "animated"])
def test_staff_get_each_frame_as_cacheable_svg(client_for, therapist, bridge, frame):
    client = client_for(therapist)
    response = client.get(illustration_url(bridge, frame))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=86400"
    body = response.content.decode()
    assert body.startswith("<svg") and "style=" not in body
    again = client.get(illustration_url(bridge, frame))
    assert again.content == response.content and again["ETag"] == response["ETag"]


def test_unknown_frame_and_exercise_without_poses_answer_404(client_for, therapist, bridge):
    client = client_for(therapist)
    assert client.get(illustration_url(bridge, "middle")).status_code == 404
    plain = ExerciseFactory(clinic=therapist.clinic)
    assert client.get(illustration_url(plain, "start")).status_code == 404


def test_another_clinics_exercise_answers_404(client_for, therapist, other_clinic):
    theirs = ExerciseFactory(clinic=other_clinic, poses=POSES["squat"])
    assert client_for(therapist).get(illustration_url(theirs, "start")).status_code == 404


def test_signed_out_visitors_get_no_picture(client, bridge):
    response = client.get(illustration_url(bridge, "start"))
    assert response.status_code in (302, 403, 404)


def test_exercise_page_shows_start_and_end_with_text_alternatives(client_for, therapist, bridge):
    html = client_for(therapist).get(bridge.get_absolute_url()).content.decode()
    assert f'src="{illustration_url(bridge, "start")}"' in html
    assert f'src="{illustration_url(bridge, "end")}"' in html
    assert "Drawing of the starting position: " in html
    assert "Drawing of the end of the movement: " in html


def test_exercise_page_without_poses_shows_no_drawing(client_for, therapist):
    plain = ExerciseFactory(clinic=therapist.clinic)
    html = client_for(therapist).get(plain.get_absolute_url()).content.decode()
    assert "illustration" not in html


def test_builder_cards_and_handout_show_the_drawings(client_for, therapist, patient, bridge):
    program = ProgramFactory(clinic=therapist.clinic, patient=patient, therapist=therapist)
    ProgramItemFactory(program=program, exercise=bridge, position=1)
    client = client_for(therapist)
    builder = client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert "illustration--small" in builder
    assert f'src="{illustration_url(bridge, "end")}"' in builder
    handout = client.get(reverse("program_handout", args=[program.pk])).content.decode()
    assert f'src="{illustration_url(bridge, "start")}"' in handout
    assert f'src="{illustration_url(bridge, "end")}"' in handout
