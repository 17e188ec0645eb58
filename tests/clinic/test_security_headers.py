"""Finding 9 and safeguard 16: no copy of personal data kept by any cache, and browser features
the app never uses switched off on every response."""

import pytest

from tests.factories import ProgramFactory

NO_STORE = {"private", "no-store"}


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def program(clinic, patient, therapist):
    return ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)


def test_patient_page_is_never_stored(client_for, therapist, patient):
    response = client_for(therapist).get(f"/patients/{patient.pk}/")

    assert response.status_code == 200
    assert cache_directives(response) >= NO_STORE


def test_handout_is_never_stored(client_for, therapist, program):
    response = client_for(therapist).get(f"/programs/{program.pk}/handout/")

    assert response.status_code == 200
    assert cache_directives(response) >= NO_STORE


def test_patients_own_pages_are_never_stored(client_for, patient):
    response = client_for(patient.user).get("/portal/history/", follow=True)

    assert cache_directives(response) >= NO_STORE


def test_api_responses_are_never_stored(api_for, therapist, patient):
    response = api_for(therapist).get(f"/api/v1/patients/{patient.pk}/")

    assert response.status_code == 200
    assert cache_directives(response) >= NO_STORE


def test_the_token_answer_is_never_stored_although_the_caller_was_anonymous(api_for, therapist):
    response = api_for(None).post(
        "/api/v1/auth/token/", {"email": therapist.email, "password": "wrong"}
    )

    assert cache_directives(response) >= NO_STORE


def test_static_files_stay_cacheable(client, db):
    css = client.get("/static/css/app.css")

    assert css.status_code == 200
    assert "no-store" not in cache_directives(css)


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/v1/me/today/"])
def test_every_response_switches_off_unused_browser_features(client, db, path):
    policy = client.get(path)["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
