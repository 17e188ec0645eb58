"""The drawn exercise pictures: the pose model, the library's poses held to each exercise's
own cues, and the SVG renderer."""

import json
import math
import re

import pytest

from exercises.illustrations import pose as pose_model
from exercises.illustrations.renderer import illustration_svg
from exercises.illustrations.scene import illustration_errors, layout
from exercises.library import LIBRARY_DIR

LIBRARY = json.loads((LIBRARY_DIR / "hamstring.json").read_text(encoding="utf-8"))
EXERCISES = {exercise["slug"]: exercise for exercise in LIBRARY["exercises"]}
TOLERANCE = 0.006  # body heights: about 1 cm on a 1.7 m person


def scenes(slug):
    poses = EXERCISES[slug]["poses"]
    return layout(poses["start"]), layout(poses["end"])


def slope_from_vertical(a, b) -> float:
    """Degrees between the line a->b and the vertical."""
    return math.degrees(math.atan2(abs(b[0] - a[0]), abs(b[1] - a[1])))


def test_every_library_exercise_has_a_valid_start_and_end_pose():
    for slug, exercise in EXERCISES.items():
        assert "poses" in exercise, slug
        assert illustration_errors(exercise["poses"]) == [], slug


def test_segment_lengths_follow_drillis_and_contini():
    points = pose_model.skeleton(pose_model.Pose.from_data({}))
    hip_height = points["hip"][1] - points["near_heel"][1]
    assert hip_height == pytest.approx(0.530 - 0.039 + 0.039, abs=0.001)
    assert points["shoulder"][1] - points["hip"][1] == pytest.approx(0.288)
    assert math.dist(points["near_elbow"], points["shoulder"]) == pytest.approx(0.186)
    assert math.dist(points["near_toe"], points["near_heel"]) == pytest.approx(0.152)
    head_top = points["head"][1] + pose_model.HEAD_RADIUS - points["near_heel"][1]
    assert head_top == pytest.approx(1.0, abs=0.03)  # a standing figure is one height tall


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_every_joint_is_within_a_human_range(slug):
    for frame in ("start", "end"):
        pose = EXERCISES[slug]["poses"][frame]["pose"]
        assert pose_model.pose_errors(pose) == [], (slug, frame)


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_contacts_rest_on_their_support_without_floating_or_sinking(slug):
    for scene in scenes(slug):
        for point, surface, gap in scene.contact_gaps():
            assert abs(gap) <= TOLERANCE, (slug, point, surface, gap)


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_no_body_part_goes_through_the_floor(slug):
    for scene in scenes(slug):
        for name, a, b, radius in scene.capsules():
            lowest = min(a[1], b[1]) - radius
            assert lowest >= scene.floor_top - TOLERANCE, (slug, name, lowest)


@pytest.mark.parametrize("slug", ["swiss-ball-bridge", "swiss-ball-hamstring-curl"])
def test_nothing_sinks_into_the_ball(slug):
    from exercises.illustrations.props import ball_centre

    for scene in scenes(slug):
        (cx, cy), ball = (
            ball_centre(scene.props),
            next(p for p in scene.props if p["kind"] == "ball"),
        )
        for name, a, b, radius in scene.capsules():
            for t in (0, 0.25, 0.5, 0.75, 1):
                x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
                assert math.hypot(x - cx, y - cy) >= ball["r"] + radius - TOLERANCE, (slug, name)


@pytest.mark.parametrize("slug", ["bridge", "single-leg-bridge", "swiss-ball-bridge"])
def test_bridge_top_shoulders_hips_and_knees_in_a_straight_line(slug):
    _start, end = scenes(slug)
    side = "far" if slug == "single-leg-bridge" else "near"  # the leg that pushes
    points = end.points
    angle = pose_model.angle_at(points["shoulder"], points["hip"], points[f"{side}_knee"])
    assert angle >= 170
    assert points["hip"][1] > scenes(slug)[0].points["hip"][1] + 0.1  # the hips did rise


def test_single_leg_bridge_lifts_the_straight_leg_level_with_the_other_thigh():
    for scene in scenes("single-leg-bridge"):
        p = scene.points
        near = math.atan2(p["near_knee"][1] - p["hip"][1], p["near_knee"][0] - p["hip"][0])
        far = math.atan2(p["far_knee"][1] - p["hip"][1], p["far_knee"][0] - p["hip"][0])
        assert abs(math.degrees(near - far)) <= 5
        assert pose_model.angle_at(p["hip"], p["near_knee"], p["near_ankle"]) >= 170
        assert p["near_heel"][1] > scene.floor_top + 0.1  # the lifted foot is in the air


@pytest.mark.parametrize(
    "slug", ["chair-squat", "squat", "modified-lunge", "static-split-squat", "lunge"]
)
def test_knee_does_not_go_ahead_of_the_toes(slug):
    for scene in scenes(slug):
        p = scene.points
        assert p["near_knee"][0] <= p["near_toe"][0] + 0.005, slug


@pytest.mark.parametrize("slug", ["modified-lunge", "static-split-squat", "lunge"])
def test_lunge_keeps_the_trunk_upright(slug):
    for scene in scenes(slug):
        assert slope_from_vertical(scene.points["hip"], scene.points["shoulder"]) <= 10


@pytest.mark.parametrize("slug", ["lunge", "static-split-squat", "modified-lunge"])
def test_lunge_lowers_the_body_and_keeps_the_back_knee_off_the_floor(slug):
    start, end = scenes(slug)
    assert end.points["hip"][1] < start.points["hip"][1] - 0.03
    assert end.points["far_knee"][1] - pose_model.RADIUS["thigh"] > 0.02


@pytest.mark.parametrize("slug", ["chair-squat"])
def test_chair_squat_touches_the_seat_at_the_bottom(slug):
    start, end = scenes(slug)
    assert ("hip", "chair") in end.contacts
    assert ("hip", "chair") not in start.contacts


@pytest.mark.parametrize(
    "slug",
    [
        "standing-hamstring-curl-with-support",
        "standing-hamstring-curl",
        "standing-hamstring-curl-ankle-weights",
    ],
)
def test_standing_curl_keeps_the_moving_thigh_in_line_and_the_hip_straight(slug):
    start, end = scenes(slug)
    p = end.points
    assert slope_from_vertical(p["hip"], p["near_knee"]) <= 10
    assert slope_from_vertical(p["hip"], p["far_knee"]) <= 10
    assert abs(EXERCISES[slug]["poses"]["end"]["pose"]["near"]["hip"]) <= 10
    assert pose_model.angle_at(p["hip"], p["near_knee"], p["near_ankle"]) <= 90  # knee bent
    assert EXERCISES[slug]["poses"]["moving"] == ["near_leg"]


@pytest.mark.parametrize("slug", ["prone-hamstring-curl", "prone-hamstring-curl-ankle-weights"])
def test_prone_curl_bends_the_knee_at_least_90_degrees_at_the_end(slug):
    start, end = scenes(slug)
    p = end.points
    inside = pose_model.angle_at(p["hip"], p["near_knee"], p["near_ankle"])
    assert 180 - inside >= 90
    assert (
        pose_model.angle_at(
            start.points["hip"], start.points["near_knee"], start.points["near_ankle"]
        )
        >= 170
    )


@pytest.mark.parametrize(
    "slug",
    [
        "prone-hamstring-curl-ankle-weights",
        "standing-hamstring-curl-ankle-weights",
    ],
)
def test_ankle_weight_is_on_the_moving_leg(slug):
    poses = EXERCISES[slug]["poses"]
    for frame in ("start", "end"):
        cuffs = [p for p in poses[frame]["props"] if p["kind"] == "cuff"]
        assert [c["side"] for c in cuffs] == ["near"]
    assert "near_leg" in poses["moving"]


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_props_match_the_exercise_equipment(slug):
    exercise = EXERCISES[slug]
    kinds = {p["kind"] for f in ("start", "end") for p in exercise["poses"][f]["props"]}
    equipment = set(exercise["equipment"])
    assert ("mat" in kinds) == ("exercise-mat" in equipment)
    assert ("ball" in kinds) == ("swiss-ball" in equipment)
    assert ("cuff" in kinds) == ("ankle-weights" in equipment)
    if "sturdy-chair-or-counter" in equipment:
        assert kinds & {"chair", "counter"}


def test_pose_errors_name_the_joint_and_its_range():
    errors = pose_model.pose_errors({"near": {"knee": -40, "elbow": "x"}, "trunk": 400})
    assert "The near knee angle must be between 0 and 150 degrees." in errors
    assert "The near elbow angle must be a number." in errors
    assert any("trunk" in e for e in errors)
    assert pose_model.pose_errors({"near": {"tail": 1}}) == [
        "Unknown joint(s) on the near side: tail."
    ]
    assert illustration_errors({"start": {}, "end": 3})  # never an exception


@pytest.mark.parametrize(
    "broken",
    [
        None,
        [],
        {"start": {"pose": [], "anchor": [[1], {}, "x"], "contacts": [[[1], [2]]]}},
        {"start": {"pose": {"near": []}, "props": [{"kind": ["ball"]}, 3]}, "end": {}},
        {"moving": [["near_leg"]], "arrow": ["hip"]},
        {"start": {"anchor": ["hip", "ball", 0], "props": "mat"}},
    ],
)
def test_any_json_gets_messages_never_an_exception(broken):
    assert illustration_errors(broken)


def test_renderer_output_is_stable_and_svg_only_uses_presentation_attributes():
    poses = EXERCISES["bridge"]["poses"]
    first = illustration_svg(poses, "start", "Bridge")
    assert illustration_svg(json.loads(json.dumps(poses)), "start", "Bridge") == first
    assert first.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "style" not in first and "<script" not in first
    assert "<title>Bridge</title>" in first
    assert illustration_svg(poses, "end", "Bridge") != first


def test_near_limbs_darker_than_far_and_accent_on_the_moving_leg():
    svg = illustration_svg(EXERCISES["prone-hamstring-curl"]["poses"], "end")
    lines = re.findall(r'<line [^>]*stroke="(#[0-9a-f]{6})"', svg)
    assert "#262626" in lines and "#9a9a9a" in lines and "#0072b2" in lines
    assert "<polygon" in svg  # the arrow's head


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_animation_moves_between_the_two_frames(slug):
    svg = illustration_svg(EXERCISES[slug]["poses"], "animated")
    assert "<animate " in svg and 'repeatCount="indefinite"' in svg


@pytest.mark.django_db
def test_load_library_stores_every_exercises_poses():
    from exercises.library import library_load
    from exercises.models import Exercise

    library_load()
    stored = {e.slug: e.poses for e in Exercise.objects.library()}
    assert stored == {slug: exercise["poses"] for slug, exercise in EXERCISES.items()}
    library_load()  # idempotent: nothing changes the second time
    assert {e.slug: e.poses for e in Exercise.objects.library()} == stored


@pytest.mark.django_db
def test_an_impossible_pose_is_refused_with_a_message_and_nothing_saved():
    from django.core.exceptions import ValidationError

    from exercises import services
    from tests.factories import ExerciseFactory

    exercise = ExerciseFactory()
    poses = json.loads(json.dumps(EXERCISES["bridge"]["poses"]))
    poses["end"]["pose"]["near"]["knee"] = 200
    with pytest.raises(ValidationError) as error:
        services.exercise_update(exercise=exercise, poses=poses)
    assert "end: The near knee angle must be between 0 and 150 degrees." in str(error.value)
    exercise.refresh_from_db()
    assert exercise.poses == {}


def needs_cairosvg():
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):  # OSError: the system's libcairo2 is missing
        pytest.skip("CairoSVG (and libcairo2) renders the PNGs")


@pytest.mark.django_db
def test_render_illustrations_writes_a_png_of_each_start_and_end(tmp_path):
    from django.core.management import call_command

    from exercises.library import library_load

    needs_cairosvg()
    library_load()
    call_command("render_illustrations", str(tmp_path), "--width", "120")
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert len(pngs) == 2 * len(EXERCISES)
    assert "prone-hamstring-curl-end.png" in pngs
    assert (tmp_path / "bridge-start.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_render_illustrations_without_a_library_says_what_to_do(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    needs_cairosvg()
    with pytest.raises(CommandError, match="load_library"):
        call_command("render_illustrations", str(tmp_path))


def test_static_split_squat_keeps_the_feet_in_place_and_stops_part_way_down():
    """The step between the supported lunge and the full lunge: no step, and not as deep."""
    start, end = scenes("static-split-squat")
    for foot in ("near_heel", "near_toe", "far_toe"):
        assert start.points[foot] == pytest.approx(end.points[foot], abs=0.01), foot
    _lunge_start, lunge_end = scenes("lunge")
    assert end.points["hip"][1] > lunge_end.points["hip"][1] + 0.03
    words = " ".join(EXERCISES["static-split-squat"]["instructions"]).lower()
    assert "part way down" in words
