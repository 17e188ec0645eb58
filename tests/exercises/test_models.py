"""Database constraints of the catalog, on SQLite and PostgreSQL alike."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from exercises.models import Exercise, ProgressionStep
from tests.factories import (
    DisclaimerFactory,
    EquipmentFactory,
    ExerciseFactory,
    LibraryExerciseFactory,
    SeriesFactory,
    StepFactory,
)


def refused_by_database(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_slug_is_unique_within_a_clinic(clinic):
    ExerciseFactory(clinic=clinic, slug="bridge")
    refused_by_database(ExerciseFactory, clinic=clinic, slug="bridge")


def test_slug_is_unique_within_the_library_even_though_clinic_is_null(db):
    LibraryExerciseFactory(slug="bridge")
    refused_by_database(LibraryExerciseFactory, slug="bridge")
    SeriesFactory(clinic=None, slug="ladder")
    refused_by_database(SeriesFactory, clinic=None, slug="ladder")
    EquipmentFactory(clinic=None, slug="mat")
    refused_by_database(EquipmentFactory, clinic=None, slug="mat")


def test_the_same_slug_may_live_in_the_library_and_in_each_clinic(clinic, other_clinic):
    LibraryExerciseFactory(slug="bridge")
    ExerciseFactory(clinic=clinic, slug="bridge")
    ExerciseFactory(clinic=other_clinic, slug="bridge")
    assert Exercise.objects.filter(slug="bridge").count() == 3


def test_full_clean_reports_a_duplicate_slug_with_our_message(clinic):
    ExerciseFactory(clinic=clinic, slug="bridge")
    duplicate = ExerciseFactory.build(clinic=clinic, slug="bridge")
    with pytest.raises(ValidationError, match="already has an exercise with this name"):
        duplicate.full_clean()
    library_duplicate = LibraryExerciseFactory.build(slug="bridge")
    LibraryExerciseFactory(slug="bridge")
    with pytest.raises(ValidationError, match="already has an exercise with this name"):
        library_duplicate.full_clean()


def constraint(name):
    return next(c for c in Exercise._meta.constraints if c.name == name)


@pytest.mark.parametrize("difficulty", [0, 6])
def test_difficulty_is_1_to_5(clinic, difficulty):
    refused_by_database(ExerciseFactory, clinic=clinic, difficulty=difficulty)
    exercise = ExerciseFactory.build(clinic=clinic, difficulty=difficulty)
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert "difficulty" in error.value.message_dict
    with pytest.raises(ValidationError, match="Difficulty is a number from 1 to 5"):
        constraint("exercise_difficulty_1_to_5").validate(Exercise, exercise)


@pytest.mark.parametrize("field", ["default_sets", "default_reps", "default_hold_seconds"])
def test_dosage_is_positive(clinic, field):
    refused_by_database(ExerciseFactory, clinic=clinic, **{field: 0})
    exercise = ExerciseFactory.build(clinic=clinic, **{field: 0})
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert field in error.value.message_dict
    with pytest.raises(ValidationError, match="must be above zero"):
        constraint("exercise_dosage_positive").validate(Exercise, exercise)


def test_an_exercise_needs_steps(clinic):
    with pytest.raises(ValidationError, match="Add at least one step"):
        ExerciseFactory.build(clinic=clinic, instructions=[]).full_clean()
    with pytest.raises(ValidationError, match="Lines cannot be empty"):
        ExerciseFactory.build(clinic=clinic, instructions=["Do it", "  "]).full_clean()


def test_step_positions_are_unique_per_series(clinic):
    step = StepFactory(series=SeriesFactory(clinic=clinic), position=1)
    refused_by_database(StepFactory, series=step.series, position=1)
    with pytest.raises(ValidationError, match="cannot share a position"):
        StepFactory.build(
            series=step.series, exercise=ExerciseFactory(clinic=clinic), position=1
        ).full_clean()


def test_an_exercise_is_at_most_once_in_a_series(clinic):
    step = StepFactory(series=SeriesFactory(clinic=clinic), position=1)
    refused_by_database(StepFactory, series=step.series, exercise=step.exercise, position=2)
    with pytest.raises(ValidationError, match="already a step of this series"):
        ProgressionStep(series=step.series, exercise=step.exercise, position=2).full_clean()


def test_a_series_uses_only_library_and_own_exercises(clinic, other_clinic):
    series = SeriesFactory(clinic=clinic)
    foreign = ExerciseFactory(clinic=other_clinic)
    with pytest.raises(ValidationError, match="library or your own clinic"):
        ProgressionStep(series=series, exercise=foreign, position=1).full_clean()
    library_series = SeriesFactory(clinic=None)
    with pytest.raises(ValidationError, match="library or your own clinic"):
        ProgressionStep(
            series=library_series, exercise=ExerciseFactory(clinic=clinic), position=1
        ).full_clean()
    ProgressionStep(series=series, exercise=LibraryExerciseFactory(), position=1).full_clean()


def test_disclaimer_versions_are_unique_per_owner_and_kind(clinic, other_clinic):
    DisclaimerFactory(clinic=clinic, version=1)
    refused_by_database(DisclaimerFactory, clinic=clinic, version=1)
    DisclaimerFactory(clinic=other_clinic, version=1)
    DisclaimerFactory(clinic=clinic, version=1, kind="affiliate")
    DisclaimerFactory(clinic=None, version=1)
    refused_by_database(DisclaimerFactory, clinic=None, version=1)


def test_an_exercise_in_a_series_cannot_be_deleted(clinic):
    step = StepFactory(series=SeriesFactory(clinic=clinic), position=1)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        step.exercise.delete()
