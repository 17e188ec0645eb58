"""Catalog fixtures. Uploaded files go to a temporary MEDIA_ROOT, never into the repository."""

import pytest

from exercises.library import library_load
from exercises.models import Exercise
from tests.factories import ExerciseFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def library(db):
    """The shared library loaded from exercises/library/ (the real data file)."""
    library_load()
    return Exercise.objects.library()


@pytest.fixture
def clinic_exercise(clinic):
    return ExerciseFactory(clinic=clinic, name="Clinic A heel slide")


@pytest.fixture
def other_clinic_exercise(other_clinic):
    return ExerciseFactory(clinic=other_clinic, name="Clinic B wall sit")
