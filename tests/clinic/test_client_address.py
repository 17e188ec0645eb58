"""Findings 3 and 4: one setting (NUM_PROXIES) decides the client address for the API's
throttles, django-axes' lockouts and the per-address limit across accounts; a header the
client writes itself buys nothing."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from clinic.client_address import client_address_from
from tests.factories import TEST_PASSWORD, PatientWithAccountFactory, TherapistFactory

PROXY = "172.30.0.2"  # the one trusted proxy's address (Caddy in docker-compose)
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("num_proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "1.1.1.1"}, "203.0.113.5"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.5"}, "203.0.113.5"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "203.0.113.5"),
        (
            2,
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.5, 10.0.0.2"},
            "203.0.113.5",
        ),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-ip"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_wrote(num_proxies, meta, expected):
    assert client_address_from(meta, num_proxies) == expected


def test_the_middleware_sets_request_client_ip(settings, client, db):
    settings.NUM_PROXIES = 1
    response = client.get(
        reverse("login"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )

    assert response.wsgi_request.client_ip == "203.0.113.7"


# --- Finding 3: the API's token throttle --------------------------------------------------------


@pytest.mark.parametrize("num_proxies", [0, 1])
def test_thirty_token_requests_with_forged_forwarded_for_get_a_429(settings, db, num_proxies):
    settings.NUM_PROXIES = num_proxies
    client = APIClient()
    statuses = []
    for n in range(30):
        # A client prepends whatever it likes; the proxy appends the address it really saw.
        forged = f"10.1.{n}.{n}" + (", 198.51.100.20" if num_proxies else "")
        statuses.append(
            client.post(
                TOKEN_URL,
                {"email": f"nobody{n}@example.org", "password": "wrong"},
                REMOTE_ADDR=PROXY if num_proxies else "198.51.100.20",
                HTTP_X_FORWARDED_FOR=forged,
            ).status_code
        )

    assert 429 in statuses
    assert statuses.index(429) == 10  # API_THROTTLE_TOKEN: 10/minute


def test_clients_behind_the_proxy_are_counted_apart(settings, db):
    settings.NUM_PROXIES = 1
    client = APIClient()
    for _ in range(10):
        client.post(
            TOKEN_URL,
            {"email": "a@example.org", "password": "x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )

    other = client.post(
        TOKEN_URL,
        {"email": "a@example.org", "password": "x"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )

    assert other.status_code == 400  # a wrong password, not a throttle


# --- Finding 4: the sign-in lockout ------------------------------------------------------------


def sign_in(email, password, *, client_ip, forged=""):
    forwarded = f"{forged}, {client_ip}" if forged else client_ip
    return Client().post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_a_lockout_holds_one_address_not_everyone(settings, patient):
    settings.NUM_PROXIES = 1
    email = patient.user.email
    for n in range(5):
        sign_in(email, "wrong", client_ip="198.51.100.66", forged=f"10.0.0.{n}")

    from_attacker = sign_in(email, TEST_PASSWORD, client_ip="198.51.100.66", forged="10.9.9.9")
    from_patient = sign_in(email, TEST_PASSWORD, client_ip="203.0.113.10")

    assert from_attacker.status_code == 429
    assert from_patient.status_code == 302


def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(settings, patient):
    settings.NUM_PROXIES = 0
    email = patient.user.email
    for n in range(5):
        Client().post(
            reverse("login"),
            {"username": email, "password": "wrong"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    again = Client().post(
        reverse("login"),
        {"username": email, "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="10.7.7.7",
    )

    assert again.status_code == 429


@pytest.fixture
def many_accounts(clinic):
    return [TherapistFactory(clinic=clinic, email=f"t{n}@example.org") for n in range(21)]


def test_password_spraying_from_one_address_is_stopped(settings, many_accounts):
    settings.NUM_PROXIES = 1
    settings.SIGN_IN_ADDRESS_ACCOUNT_LIMIT = 20
    for n, account in enumerate(many_accounts[:20]):
        sign_in(account.email, "Summer2026!", client_ip="198.51.100.99", forged=f"10.0.1.{n}")

    # Even the right password of a 21st account is not tried from that address...
    sprayed = sign_in(many_accounts[20].email, TEST_PASSWORD, client_ip="198.51.100.99")
    # ...while the same account signs in from its own address.
    elsewhere = sign_in(many_accounts[20].email, TEST_PASSWORD, client_ip="203.0.113.20")

    assert sprayed.status_code == 429
    assert elsewhere.status_code == 302


def test_the_address_limit_spares_people_who_signed_in_there_before(settings, clinic):
    """A colleague behind the clinic's shared address keeps signing in while an attacker
    behind the same address sprays other accounts."""
    settings.NUM_PROXIES = 1
    settings.SIGN_IN_ADDRESS_ACCOUNT_LIMIT = 3
    shared = "198.51.100.50"
    colleague = TherapistFactory(clinic=clinic, email="colleague@example.org")
    assert sign_in(colleague.email, TEST_PASSWORD, client_ip=shared).status_code == 302
    for n in range(3):
        sign_in(f"victim{n}@example.org", "guess-guess-guess", client_ip=shared)
    newcomer = PatientWithAccountFactory(clinic=clinic, email="new@example.org")

    assert sign_in(colleague.email, TEST_PASSWORD, client_ip=shared).status_code == 302
    assert sign_in(newcomer.user.email, TEST_PASSWORD, client_ip=shared).status_code == 429


def test_the_api_token_obeys_the_address_limit_in_json(settings, many_accounts):
    settings.NUM_PROXIES = 0
    settings.SIGN_IN_ADDRESS_ACCOUNT_LIMIT = 3
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }
    client = APIClient(REMOTE_ADDR="198.51.100.77")
    for account in many_accounts[:3]:
        client.post(TOKEN_URL, {"email": account.email, "password": "wrong-wrong"})

    response = client.post(TOKEN_URL, {"email": many_accounts[3].email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"


def test_axes_reads_the_same_address(settings, db):
    from axes.helpers import get_client_ip_address

    settings.NUM_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")

    assert get_client_ip_address(request) == "5.6.7.8"
