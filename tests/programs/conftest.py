"""Builder fixtures: `program` is a draft of paula's (the library's `bridge_series` is in
tests/conftest.py)."""

import pytest

from programs.models import ProgramStatus
from tests.factories import ProgramFactory


@pytest.fixture
def program(clinic, patient, therapist):
    return ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.DRAFT
    )
