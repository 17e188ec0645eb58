"""Tokens: obtained with e-mail and password (through django-axes), revoked by their owner."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD

URL = "/api/v1/auth/token/"


def test_a_token_for_the_right_password(therapist):
    response = APIClient().post(URL, {"email": "THEO@example.org", "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=therapist).key}


def test_the_token_opens_the_api(therapist):
    key = APIClient().post(URL, {"email": therapist.email, "password": TEST_PASSWORD}).json()
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key['token']}")

    assert client.get("/api/v1/auth/user/").json()["role"] == "therapist"


def test_wrong_password_is_a_400_without_a_token(therapist):
    response = APIClient().post(URL, {"email": therapist.email, "password": "nope"})

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(therapist):
    therapist.is_active = False
    therapist.save()

    response = APIClient().post(URL, {"email": therapist.email, "password": TEST_PASSWORD})

    assert response.status_code == 400


def test_axes_locks_the_address_out_in_json(therapist, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"email": therapist.email, "password": "wrong"})

    response = client.post(URL, {"email": therapist.email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert not Token.objects.exists()


def test_token_endpoint_has_its_own_throttle(therapist, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": "2/minute"},
    }
    client = APIClient()
    for _ in range(2):
        client.post(URL, {"email": "x@example.org", "password": "wrong"})

    assert client.post(URL, {"email": "x@example.org", "password": "w"}).status_code == 429


def test_revoking_the_token_signs_the_app_out(therapist):
    token = Token.objects.create(user=therapist)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.delete(URL).status_code == 204
    assert client.get("/api/v1/auth/user/").status_code == 401
    assert not Token.objects.exists()


@pytest.mark.parametrize("header", ["Token nonsense", "Bearer x", "Token "])
def test_bad_tokens_are_401(db, header):
    response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/auth/user/")

    assert response.status_code == 401
