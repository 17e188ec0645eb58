"""The shared library: what the data file holds, and that loading it is idempotent."""

import json

import pytest
from django.core.management import CommandError, call_command

from exercises.catalog_file.schema import CatalogFileError
from exercises.library import LIBRARY_DIR, library_load, library_templates
from exercises.models import (
    BodyRegion,
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    Muscle,
    ProgressionSeries,
    ProgressionStep,
)
from exercises.selectors import disclaimers_current
from tests.factories import ExerciseFactory, SeriesFactory, StepFactory

EXPECTED_LADDERS = {
    "bridge-progression": [
        "bridge",
        "single-leg-bridge",
        "swiss-ball-bridge",
        "swiss-ball-hamstring-curl",
    ],
    "prone-hamstring-curl-progression": [
        "prone-hamstring-curl",
        "prone-hamstring-curl-ankle-weights",
    ],
    "standing-hamstring-curl-progression": [
        "standing-hamstring-curl-with-support",
        "standing-hamstring-curl",
        "standing-hamstring-curl-ankle-weights",
    ],
    "squat-progression": ["chair-squat", "squat"],
    "lunge-progression": ["modified-lunge", "static-split-squat", "lunge"],
}


def ladder(series_slug):
    series = ProgressionSeries.objects.library().get(slug=series_slug)
    return list(series.steps.order_by("position").values_list("exercise__slug", flat=True))


def snapshot():
    """Every library row's identity and last change, to compare two runs."""
    return {
        model.__name__: sorted(
            model.objects.filter(clinic__isnull=True).values_list("pk", "updated_at")
        )
        for model in (Exercise, Equipment, ProgressionSeries)
    } | {
        "steps": sorted(ProgressionStep.objects.values_list("pk", "series_id", "position")),
        "disclaimers": sorted(Disclaimer.objects.values_list("pk", "version")),
        "regions": BodyRegion.objects.count(),
        "muscles": Muscle.objects.count(),
    }


def test_library_holds_the_hamstring_progressions(library):
    assert library.count() == 14
    assert ProgressionSeries.objects.library().count() == 5
    for series_slug, slugs in EXPECTED_LADDERS.items():
        assert ladder(series_slug) == slugs


def test_every_library_exercise_is_fully_described(library):
    for exercise in library.prefetch_related("muscles", "body_regions"):
        assert exercise.summary and exercise.starting_position
        assert len(exercise.instructions) >= 3, exercise.slug
        assert exercise.cues, exercise.slug
        assert 1 <= exercise.difficulty <= 5
        assert exercise.default_sets and exercise.default_reps
        assert exercise.muscles.exists() and exercise.body_regions.exists()
        assert exercise.is_active


def test_library_carries_the_seed_facts(library):
    bridge = library.get(slug="bridge")
    assert bridge.position == "hooklying"
    assert set(bridge.muscles.values_list("slug", flat=True)) == {"glutes", "hamstrings"}
    assert bridge.default_hold_seconds
    standing = library.get(slug="standing-hamstring-curl-with-support")
    cues = " ".join(standing.cues).lower()
    assert "knee" in cues and "hip" in cues
    assert "knees behind your toes" in " ".join(library.get(slug="squat").cues).lower()
    assert "upright" in " ".join(library.get(slug="lunge").cues).lower()
    assert set(Equipment.objects.library().values_list("slug", flat=True)) == {
        "exercise-mat",
        "sturdy-chair-or-counter",
        "ankle-weights",
        "swiss-ball",
    }
    assert library.get(slug="swiss-ball-bridge").equipment.filter(slug="swiss-ball").exists()


def test_every_step_has_a_mastery_criterion(library):
    steps = ProgressionStep.objects.filter(series__clinic__isnull=True)
    assert steps.count() == 14
    assert not steps.filter(advance_when="").exists()


def test_related_series_the_seed_only_names_are_not_invented(library):
    names = " ".join(ProgressionSeries.objects.values_list("name", flat=True)).lower()
    assert "stretch" not in names
    assert "knee strengthening" not in names
    assert not Exercise.objects.filter(name__icontains="stretch").exists()


def test_default_disclaimers_are_versions_1_and_2_of_the_library(library):
    """Version 2 says the same in plainer words (grade 6 or below, test_readability.py);
    version 1 stays as it was published."""
    defaults = Disclaimer.objects.library()
    assert sorted(defaults.values_list("kind", "version")) == [
        (DisclaimerKind.AFFILIATE, 1),
        (DisclaimerKind.AFFILIATE, 2),
        (DisclaimerKind.MEDICAL, 1),
        (DisclaimerKind.MEDICAL, 2),
    ]
    for version in (1, 2):
        medical = defaults.get(kind=DisclaimerKind.MEDICAL, version=version)
        assert "own risk" in medical.body
        assert "Doctor Jo" not in medical.body  # our words, not the seed's
        affiliate = defaults.get(kind=DisclaimerKind.AFFILIATE, version=version)
        assert "commission" in affiliate.body
    current = disclaimers_current(clinic=None)
    assert current[DisclaimerKind.MEDICAL].version == 2
    assert current[DisclaimerKind.AFFILIATE].version == 2


def test_the_hamstring_template_lists_the_first_step_of_each_series(db):
    (template,) = library_templates()
    assert template["slug"] == "hamstring-strengthening"
    items = {item["series"]: item for item in template["items"]}
    assert set(items) == set(EXPECTED_LADDERS)
    for series_slug, slugs in EXPECTED_LADDERS.items():
        assert items[series_slug]["exercise"] == slugs[0]
        assert items[series_slug]["sets"] and items[series_slug]["reps"]


def test_second_run_changes_nothing(library):
    before = snapshot()
    reports = library_load()
    assert snapshot() == before
    ((_, report),) = reports
    assert not report.changed
    assert len(report.unchanged["exercises"]) == 14


def test_second_run_restores_edited_library_entries(library):
    bridge = library.get(slug="bridge")
    bridge.name = "Renamed by someone"
    bridge.instructions = ["Only one step"]
    bridge.is_active = False
    bridge.save()
    bridge.muscles.clear()
    series = ProgressionSeries.objects.library().get(slug="squat-progression")
    series.steps.all().delete()

    ((_, report),) = library_load()

    bridge.refresh_from_db()
    assert bridge.name == "Bridge (hooklying)"
    assert len(bridge.instructions) == 4
    assert bridge.is_active
    assert set(bridge.muscles.values_list("slug", flat=True)) == {"glutes", "hamstrings"}
    assert ladder("squat-progression") == ["chair-squat", "squat"]
    assert report.updated["exercises"] == ["bridge"]
    assert report.updated["series"] == ["squat-progression"]


def test_loading_never_touches_clinic_rows(library, clinic):
    own_bridge = ExerciseFactory(clinic=clinic, name="Bridge", slug="bridge", summary="Ours.")
    series = SeriesFactory(clinic=clinic, slug="bridge-progression")
    StepFactory(series=series, exercise=own_bridge, position=1)
    StepFactory(series=series, exercise=library.get(slug="lunge"), position=2)
    before = Exercise.objects.get(pk=own_bridge.pk).updated_at

    library_load()

    own_bridge.refresh_from_db()
    assert own_bridge.summary == "Ours."
    assert own_bridge.updated_at == before
    assert list(series.steps.values_list("exercise__slug", flat=True)) == ["bridge", "lunge"]


def test_command_reports_created_then_up_to_date(db, capsys):
    call_command("load_library")
    first = capsys.readouterr().out
    assert "exercises: 14 created" in first
    assert "Library loaded." in first
    call_command("load_library")
    second = capsys.readouterr().out
    assert "exercises: 0 created, 0 updated, 14 unchanged" in second
    assert "Library already up to date." in second


def test_a_broken_library_file_changes_nothing(db, tmp_path):
    data = json.loads((LIBRARY_DIR / "hamstring.json").read_text())
    data["series"][0]["steps"].append({"exercise": "no-such-exercise"})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))

    with pytest.raises(CatalogFileError, match="no-such-exercise"):
        library_load(files=[broken])

    assert not Exercise.objects.exists()
    assert not BodyRegion.objects.exists()


def test_command_turns_a_broken_file_into_a_command_error(db, settings, monkeypatch, tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    monkeypatch.setattr("exercises.library.LIBRARY_DIR", tmp_path)
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_library")


def test_a_published_default_disclaimer_is_never_rewritten(library, tmp_path):
    data = json.loads((LIBRARY_DIR / "hamstring.json").read_text())
    data["disclaimers"][0]["body"] = "Changed text."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    with pytest.raises(CatalogFileError, match="published versions never change"):
        library_load(files=[changed])
    assert "Changed text." not in Disclaimer.objects.values_list("body", flat=True)


def test_every_library_step_has_a_rule_that_agrees_with_its_words(library):
    """The words a patient reads and the rule the logs are checked against say the same:
    the dose to build up to, the hold, how many sessions in a row, pain-free and (only when
    the rule asks for it) easy."""
    steps = ProgressionStep.objects.filter(series__clinic__isnull=True)
    assert steps.count() == 14
    for step in steps:
        words = step.advance_when.lower()
        where = f"{step.exercise.slug}: {step.advance_when}"
        assert f"{step.mastery_sessions} sessions in a row" in words, where
        assert "days in a row" not in words, where
        assert "build up to" in words or "each time" in words, where
        if step.mastery_sets and step.mastery_reps:
            assert f"{step.mastery_sets} sets of {step.mastery_reps}" in words, where
        elif step.mastery_reps:
            assert f"{step.mastery_reps} " in words, where
        if step.mastery_hold_seconds:
            assert f"{step.mastery_hold_seconds}-second hold" in words, where
        assert step.mastery_max_pain <= 2 and "without pain" in words, where
        assert ("easy" in words) == (step.mastery_feels == "easy"), where
        assert step.mastery_morning_not_worse, where


def test_added_weight_has_a_ceiling_and_a_check_with_the_therapist(library):
    for step in ProgressionStep.objects.filter(exercise__slug__endswith="ankle-weights"):
        assert "up to about 2 kg" in step.advance_when
        assert "check with your therapist" in step.advance_when.lower()


def test_a_rule_is_generated_into_words_for_the_therapist(library):
    step = ProgressionStep.objects.get(exercise__slug="bridge", series__clinic__isnull=True)

    assert step.rule_text == (
        "3 × 15, 5-second hold, pain at most 2/10, feels easy, 3 sessions in a row, "
        "next morning not worse"
    )


def test_a_rule_of_the_wrong_type_in_a_file_is_a_clear_error(db, tmp_path):
    data = json.loads(next(iter(LIBRARY_DIR.glob("*.json"))).read_text())
    data["series"][0]["steps"][0]["rule"]["sessions"] = "three"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))

    with pytest.raises(CatalogFileError, match=r"steps\[0\]\.rule: “sessions” must be int"):
        library_load([broken])


def test_the_hamstring_series_say_the_hamstrings_often_play_a_part_in_back_hip_and_knee_pain(
    library,
):
    for slug in (
        "bridge-progression",
        "prone-hamstring-curl-progression",
        "standing-hamstring-curl-progression",
    ):
        description = ProgressionSeries.objects.library().get(slug=slug).description
        assert "back, hip and knee pain" in description, slug
    (template,) = library_templates()
    assert "back, hip and knee pain" in template["description"]


@pytest.mark.parametrize("slug", ["single-leg-bridge", "swiss-ball-hamstring-curl"])
def test_exercises_working_the_core_list_the_trunk_region(library, slug):
    exercise = library.get(slug=slug)
    assert exercise.muscles.filter(slug="core").exists()
    assert exercise.body_regions.filter(slug="trunk").exists()
