"""Portal fixtures. paula (the `patient` fixture) is the patient; her `active_program` (in
tests/conftest.py) runs every day.

`accepted` (tests/conftest.py) means paula has accepted the clinic's current medical
disclaimer, so the gate lets her through; `paula_client` is a test client signed in as her,
past the gate.
"""

import datetime

import pytest
from django.utils import timezone

from exercises.models import Disclaimer, DisclaimerKind
from tests.factories import LibraryExerciseFactory, ProgramItemFactory, backdate


@pytest.fixture
def today(clinic):
    """Today in clinic A's time zone."""
    return clinic.today()


@pytest.fixture
def affiliate_disclaimer(db):
    return Disclaimer.objects.create(
        clinic=None,
        kind=DisclaimerKind.AFFILIATE,
        title="Affiliate links",
        body="Some links may earn a commission.",
        version=1,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )


@pytest.fixture
def second_item(active_program):
    return backdate(
        ProgramItemFactory(
            program=active_program,
            exercise=LibraryExerciseFactory(name="Prone hamstring curl", slug="prone-curl"),
            position=2,
            sets=2,
            reps=12,
        ),
        30,
    )


@pytest.fixture
def paula_client(client, patient, accepted):
    client.force_login(patient.user)
    return client
