import pytest

from programs.models import ProgramStatus
from tests.factories import LibraryExerciseFactory, ProgramFactory, series_of


@pytest.fixture
def bridge_series(db):
    """bridge -> single-leg bridge -> Swiss ball bridge, in the shared library."""
    bridge = LibraryExerciseFactory(name="Bridge", slug="bridge", default_sets=2, default_reps=10)
    single = LibraryExerciseFactory(name="Single-leg bridge", slug="single-leg-bridge")
    ball = LibraryExerciseFactory(name="Swiss ball bridge", slug="swiss-ball-bridge")
    series = series_of(bridge, single, ball)
    return series, [bridge, single, ball]


@pytest.fixture
def program(clinic, patient, therapist):
    return ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.DRAFT
    )
