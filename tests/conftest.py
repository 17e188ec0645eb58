"""Shared fixtures: named actors, as in healthchecks' tests.

Every actor has one fixture, defined here and nowhere else:

- `clinic_admin`: alice, the admin of clinic A; `therapist`: theo, a therapist there;
- `patient`: paula, a patient of clinic A with an account;
- `other_patient`: peter, another patient of clinic A with an account (no program;
  `other_patient_item` gives him an active program with one item);
- `other_clinic_therapist`: bob, a therapist of clinic B, the outsider to every clinic-A
  object; `other_clinic_admin`: bea, clinic B's admin.

The objects several folders use are defined here too, once: the library's bridge series,
clinic A's and clinic B's own exercises, the medical disclaimer paula `accepted`, and paula's
`active_program` with its first `item`.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from clinic.models import Clinic
from clinic.services import api_token_create
from exercises.models import Disclaimer, DisclaimerKind
from programs import status
from programs.models import ProgramStatus
from tests.factories import (
    AdminFactory,
    ClinicFactory,
    DisclaimerAcceptanceFactory,
    ExerciseFactory,
    LibraryExerciseFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    TherapistFactory,
    backdate,
    series_of,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle and rate-limit counters and cached fragments live in the
    cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Clinic A", slug="clinic-a")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Clinic B", slug="clinic-b")


@pytest.fixture
def clinic_admin(clinic):
    return AdminFactory(clinic=clinic, email="alice@example.org", first_name="Alice")


@pytest.fixture
def therapist(clinic):
    return TherapistFactory(clinic=clinic, email="theo@example.org", first_name="Theo")


@pytest.fixture
def patient(clinic, therapist):
    """A Patient row with an account (patient.user) in clinic A."""
    return PatientWithAccountFactory(
        clinic=clinic, primary_therapist=therapist, email="paula@example.org", first_name="Paula"
    )


@pytest.fixture
def other_patient(clinic, therapist):
    """peter: another patient of clinic A, with an account."""
    return PatientWithAccountFactory(
        clinic=clinic, primary_therapist=therapist, email="peter@example.org", first_name="Peter"
    )


@pytest.fixture
def other_patient_item(clinic, therapist, other_patient):
    """peter's active program with one item, prescribed 30 days ago."""
    program = ProgramFactory(
        clinic=clinic, patient=other_patient, therapist=therapist, status=ProgramStatus.ACTIVE
    )
    return backdate(ProgramItemFactory(program=program, position=1), 30)


@pytest.fixture
def other_clinic_therapist(other_clinic):
    return TherapistFactory(clinic=other_clinic, email="bob@example.org", first_name="Bob")


@pytest.fixture
def other_clinic_admin(other_clinic):
    return AdminFactory(clinic=other_clinic, email="bea@example.org", first_name="Bea")


@pytest.fixture
def bridge_series(db):
    """bridge -> single-leg bridge -> Swiss ball bridge, in the shared library."""
    bridge = LibraryExerciseFactory(name="Bridge", slug="bridge", default_sets=2, default_reps=10)
    single = LibraryExerciseFactory(name="Single-leg bridge", slug="single-leg-bridge")
    ball = LibraryExerciseFactory(name="Swiss ball bridge", slug="swiss-ball-bridge")
    series = series_of(bridge, single, ball)
    return series, [bridge, single, ball]


@pytest.fixture
def bridge(bridge_series):
    """The library's Bridge, the first step of its series."""
    return bridge_series[1][0]


@pytest.fixture
def clinic_exercise(clinic):
    return ExerciseFactory(clinic=clinic, name="Clinic A heel slide")


@pytest.fixture
def other_clinic_exercise(other_clinic):
    return ExerciseFactory(clinic=other_clinic, name="Clinic B wall sit")


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
def accepted(patient, medical_disclaimer):
    """paula has accepted the current medical disclaimer: the gate lets her through."""
    return DisclaimerAcceptanceFactory(patient=patient, disclaimer=medical_disclaimer)


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
def item(active_program, bridge):
    """Bridge, 3 sets of 10, prescribed 30 days ago."""
    return backdate(
        ProgramItemFactory(program=active_program, exercise=bridge, position=1, sets=3, reps=10),
        30,
    )


@pytest.fixture
def client_for(client):
    """Sign the test client in as the given user and return it."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _row = api_token_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def api_for():
    """An API client that sends the user's token (anonymous for None)."""
    return token_client


@pytest.fixture
def refresh_statuses(db):
    """Store every clinic's patient statuses now, as the services and the periodic task do
    (programs/status.py), for tests whose data comes from factories, not services."""

    def refresh():
        for each in Clinic.objects.all():
            status.refresh_clinic(each)

    return refresh
