"""Shared fixtures: named actors, as in healthchecks' tests.

Every actor has one fixture, defined here and nowhere else:

- `clinic_admin`: alice, the admin of clinic A; `therapist`: theo, a therapist there;
- `patient`: paula, a patient of clinic A with an account;
- `other_patient`: peter, another patient of clinic A with an account (no program;
  `other_patient_item` gives him an active program with one item);
- `other_clinic_therapist`: bob, a therapist of clinic B, the outsider to every clinic-A
  object; `other_clinic_admin`: bea, clinic B's admin.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programs.models import ProgramStatus
from tests.factories import (
    AdminFactory,
    ClinicFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    TherapistFactory,
    backdate,
)


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
def client_for(client):
    """Sign the test client in as the given user and return it."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_for():
    """An API client that sends the user's token (anonymous for None)."""
    return token_client
