"""Shared fixtures: named actors, as in healthchecks' tests.

alice is the admin of clinic A, theo a therapist there, and paula a patient of it with an
account. bob is a therapist of clinic B, the outsider to every clinic-A object.
"""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    AdminFactory,
    ClinicFactory,
    PatientWithAccountFactory,
    TherapistFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached fragments (the catalog table) never carry over from one test to the next."""
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
