"""The pose editor: clinic admins draw their own exercises with a range input per joint. The
pose model's validation decides (bad angles get a message and nothing is saved); a preview
draws the posted values without saving; library rows, therapists and other clinics cannot."""

import json

import pytest
from django.urls import reverse

from exercises.forms import JOINT_LABELS, PoseEditorForm
from exercises.library import LIBRARY_DIR
from tests.factories import ExerciseFactory, LibraryExerciseFactory

POSES = {
    e["slug"]: e["poses"]
    for e in json.loads((LIBRARY_DIR / "hamstring.json").read_text(encoding="utf-8"))["exercises"]
}


def editor_url(exercise):
    return reverse("catalog:exercise_poses", args=[exercise.pk])


def preview_url(exercise, frame):
    return reverse("catalog:exercise_poses_preview", args=[exercise.pk, frame])


def standing_values(**changes):
    """A standing person at the start, the near knee bent 90 degrees at the end."""
    values = {"setting": "floor", "cuff": ""}
    for frame in ("start", "end"):
        for joint in JOINT_LABELS:
            values[f"{frame}_{joint}"] = "0"
    values["end_near_knee"] = "90"
    values.update(changes)
    return values


@pytest.fixture
def own(clinic):
    return ExerciseFactory(clinic=clinic, poses={})


def test_page_has_a_labelled_range_input_per_joint_for_start_and_end(client_for, clinic_admin, own):
    response = client_for(clinic_admin).get(editor_url(own))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="range"') == 2 * len(JOINT_LABELS)
    assert html.count("<output") == 2 * len(JOINT_LABELS)
    assert 'for="id_start_near_knee"' in html and 'for="id_end_near_knee"' in html
    assert 'min="0" max="150"' in html  # the knee's range from the pose model
    assert html.count("<h1") == 1
    assert "js/pose-editor.js" in html and "<script>" not in html and "style=" not in html


def test_save_writes_the_poses_drawn_from_the_values(client_for, clinic_admin, own):
    response = client_for(clinic_admin).post(
        editor_url(own), standing_values(cuff="near", setting="counter")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.poses["end"]["pose"]["near"]["knee"] == 90
    assert own.poses["start"]["anchor"] == ["near_heel", "floor", 0.0]
    kinds = [p["kind"] for p in own.poses["start"]["props"]]
    assert kinds == ["counter", "cuff"]
    picture = client_for(clinic_admin).get(
        reverse("catalog:exercise_illustration", args=[own.pk, "end"])
    )
    assert picture.status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_near_knee", "200", "The near knee angle must be between 0 and 150 degrees."),
        ("start_far_elbow", "-10", "The far elbow angle must be between 0 and 150 degrees."),
        ("start_trunk", "400", "The trunk angle must be a number from -180 to 180 degrees."),
        ("end_neck", "lots", "Enter a number."),
    ],
)
def test_bad_angle_gets_a_message_on_its_field_and_nothing_is_saved(
    client_for, clinic_admin, own, field, value, message
):
    response = client_for(clinic_admin).post(editor_url(own), standing_values(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and f'href="#id_{field}"' in html
    assert message in html
    own.refresh_from_db()
    assert own.poses == {}


def test_preview_redraws_the_posted_values_without_saving(client_for, clinic_admin, own):
    client = client_for(clinic_admin)
    response = client.post(editor_url(own), {**standing_values(), "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'src="{preview_url(own, "end")}?' in html and "end_near_knee=90" in html
    own.refresh_from_db()
    assert own.poses == {}
    picture = client.get(preview_url(own, "end"), standing_values())
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert picture.content.decode().startswith("<svg") and b"style=" not in picture.content
    bent = client.get(preview_url(own, "end"), standing_values(end_near_knee="10"))
    assert bent.content != picture.content


def test_preview_of_a_bad_angle_says_why(client_for, clinic_admin, own):
    response = client_for(clinic_admin).get(
        preview_url(own, "start"), standing_values(start_near_hip="170")
    )
    assert response.status_code == 400
    assert "The near hip angle must be between -30 and 130 degrees." in response.content.decode()


def test_editor_starts_from_the_current_poses_and_keeps_their_props(client_for, clinic_admin):
    bridge = ExerciseFactory(clinic=clinic_admin.clinic, poses=POSES["bridge"])
    form = PoseEditorForm(exercise=bridge)
    assert form.initial["setting"] == "current"
    values = {name: str(value) for name, value in form.initial.items()}
    response = client_for(clinic_admin).post(editor_url(bridge), values)
    assert response.status_code == 302
    bridge.refresh_from_db()
    assert bridge.poses["start"]["props"] == [
        p for p in POSES["bridge"]["start"]["props"] if p["kind"] != "cuff"
    ]
    assert bridge.poses["start"]["anchor"] == POSES["bridge"]["start"]["anchor"]
    assert bridge.poses.get("moving") == POSES["bridge"].get("moving")


def test_library_exercise_answers_404_to_the_editor(client_for, clinic_admin):
    library = LibraryExerciseFactory(poses=POSES["bridge"])
    client = client_for(clinic_admin)
    assert client.get(editor_url(library)).status_code == 404
    assert client.post(editor_url(library), standing_values()).status_code == 404
    assert client.get(preview_url(library, "start"), standing_values()).status_code == 404


def test_therapist_gets_403(client_for, therapist, own):
    client = client_for(therapist)
    assert client.get(editor_url(own)).status_code == 403
    assert client.post(editor_url(own), standing_values()).status_code == 403
    own.refresh_from_db()
    assert own.poses == {}


def test_other_clinics_exercise_answers_404(client_for, clinic_admin, other_clinic):
    theirs = ExerciseFactory(clinic=other_clinic, poses={})
    client = client_for(clinic_admin)
    assert client.get(editor_url(theirs)).status_code == 404
    assert client.post(editor_url(theirs), standing_values()).status_code == 404
    assert client.get(preview_url(theirs, "start"), standing_values()).status_code == 404


def test_exercise_page_links_admins_to_the_editor(client_for, clinic_admin, own):
    html = client_for(clinic_admin).get(own.get_absolute_url()).content.decode()
    assert editor_url(own) in html
