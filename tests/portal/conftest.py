"""Portal fixtures. paula (the `patient` fixture) is the patient; her program runs every day.

`accepted` means paula has accepted the clinic's current medical disclaimer, so the gate lets
her through; `paula_client` is a test client signed in as her, past the gate.
"""

import datetime

import pytest
from django.utils import timezone

from exercises.models import Disclaimer, DisclaimerKind
from programs.models import DisclaimerAcceptance, ProgramStatus
from tests.factories import (
    LibraryExerciseFactory,
    ProgramFactory,
    ProgramItemFactory,
    backdate,
)


@pytest.fixture
def medical_disclaimer(db):
    """The default medical disclaimer (clinic NULL), version 1."""
    return Disclaimer.objects.create(
        clinic=None,
        kind=DisclaimerKind.MEDICAL,
        title="Medical disclaimer",
        body="Education only, not medical advice.",
        version=1,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )


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
def accepted(patient, medical_disclaimer):
    return DisclaimerAcceptance.objects.create(
        clinic=patient.clinic, patient=patient, disclaimer=medical_disclaimer
    )


@pytest.fixture
def active_program(clinic, patient, therapist):
    """paula's active program: every day, one session, pain limit 5, started 60 days ago."""
    return ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        status=ProgramStatus.ACTIVE,
        title="Hamstring strengthening",
        start_date=clinic.today() - datetime.timedelta(days=60),
    )


@pytest.fixture
def bridge(db):
    return LibraryExerciseFactory(name="Bridge", slug="bridge")


@pytest.fixture
def item(active_program, bridge):
    """Bridge, 3 sets of 10, prescribed 30 days ago."""
    return backdate(
        ProgramItemFactory(program=active_program, exercise=bridge, position=1, sets=3, reps=10),
        30,
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
