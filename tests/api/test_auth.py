"""Tokens (finding 2): obtained with e-mail and password (through django-axes), one per device,
stored only as a hash, expiring, revoked by their owner, on a password change, on deactivation
and by "sign out everywhere"."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from clinic.models import AuditAction, AuditEvent, UserSession
from tests.factories import TEST_PASSWORD

URL = "/api/v1/auth/token/"
ME = "/api/v1/auth/user/"


def obtain(user_or_email, password=TEST_PASSWORD):
    email = getattr(user_or_email, "email", user_or_email)
    return APIClient().post(URL, {"email": email, "password": password})


def client_with(token):
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_and_its_expiry_for_the_right_password(therapist, settings):
    before = timezone.now()
    response = obtain("THEO@example.org")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expiry = parse_datetime(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert before + ttl - timedelta(minutes=1) < expiry <= timezone.now() + ttl


def test_the_token_is_stored_only_as_a_hash(therapist):
    token = obtain(therapist).json()["token"]

    row = AuthToken.objects.get(user=therapist)
    assert token not in (row.digest, row.token_key)
    assert len(row.token_key) < len(token)


def test_the_token_opens_the_api(therapist):
    token = obtain(therapist).json()["token"]

    assert client_with(token).get(ME).json()["role"] == "therapist"


def test_each_device_gets_its_own_token_and_signs_out_alone(therapist):
    phone = obtain(therapist).json()["token"]
    tablet = obtain(therapist).json()["token"]
    assert phone != tablet

    assert client_with(phone).post("/api/v1/auth/logout/").status_code == 204

    assert client_with(phone).get(ME).status_code == 401
    assert client_with(tablet).get(ME).status_code == 200


def test_delete_on_the_token_url_revokes_this_device_only(therapist):
    phone = obtain(therapist).json()["token"]
    tablet = obtain(therapist).json()["token"]

    assert client_with(phone).delete(URL).status_code == 204

    assert client_with(phone).get(ME).status_code == 401
    assert client_with(tablet).get(ME).status_code == 200


def test_a_token_expires(therapist, settings):
    token = obtain(therapist).json()["token"]

    later = timezone.now() + settings.REST_KNOX["TOKEN_TTL"] + timedelta(minutes=1)
    with time_machine.travel(later):
        response = client_with(token).get(ME)

    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=therapist).exists()


def test_sign_out_everywhere_ends_every_token_and_browser_session(therapist, client):
    phone = obtain(therapist).json()["token"]
    tablet = obtain(therapist).json()["token"]
    client.force_login(therapist)
    assert UserSession.objects.filter(user=therapist).count() == 1

    assert client_with(phone).post("/api/v1/auth/logout-all/").status_code == 204

    assert client_with(tablet).get(ME).status_code == 401
    assert not UserSession.objects.filter(user=therapist).exists()
    assert client.get("/patients/").status_code == 302  # the browser asks to sign in again
    assert AuditEvent.objects.filter(
        actor=therapist, action=AuditAction.ACCESS, detail="signed out everywhere"
    ).exists()


def test_a_password_change_revokes_every_token(therapist):
    token = obtain(therapist).json()["token"]

    therapist.set_password("a-brand-new-passphrase")
    therapist.save()

    assert client_with(token).get(ME).status_code == 401


def test_a_hash_upgrade_is_not_a_password_change(therapist, settings):
    token = obtain(therapist).json()["token"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"] + list(
        settings.PASSWORD_HASHERS
    )

    assert therapist.check_password(TEST_PASSWORD)  # re-hashed with the new first hasher

    assert client_with(token).get(ME).status_code == 200


def test_wrong_password_is_a_400_without_a_token(therapist):
    response = obtain(therapist, "nope")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not AuthToken.objects.exists()


def test_inactive_user_gets_no_token_and_loses_the_ones_they_had(therapist):
    token = obtain(therapist).json()["token"]
    therapist.is_active = False
    therapist.save()

    assert obtain(therapist).status_code == 400
    assert client_with(token).get(ME).status_code == 401


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
    assert not AuthToken.objects.exists()


def test_token_endpoint_has_its_own_throttle(therapist, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": "2/minute"},
    }
    client = APIClient()
    for _ in range(2):
        client.post(URL, {"email": "x@example.org", "password": "wrong"})

    assert client.post(URL, {"email": "x@example.org", "password": "w"}).status_code == 429


@pytest.mark.parametrize("header", ["Token nonsense", "Bearer x", "Token ", "Token a b"])
def test_bad_tokens_are_401(db, header):
    response = APIClient(HTTP_AUTHORIZATION=header).get(ME)

    assert response.status_code == 401
