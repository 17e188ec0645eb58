"""Finding 6: sign-in links and password resets are limited per e-mail address and per client
address, and the e-mail goes out from the task queue, so the answer is the same (and as
quick) whether or not the address has an account."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

FORMS = {
    "sign_in_link": ("sign_in_link_request", "sign_in_link_sent"),
    "password_reset": ("password_reset", "password_reset_done"),
}


def ask(kind, email, *, client_ip="203.0.113.1", **headers):
    url, _done = FORMS[kind]
    return Client().post(reverse(url), {"email": email}, REMOTE_ADDR=client_ip, **headers)


@pytest.fixture
def task_queue():
    """Tasks wait in a queue (as with a real worker) instead of running inline."""
    storage = HUEY.storage
    HUEY._immediate = False
    HUEY.storage = MemoryStorage(HUEY.name)
    yield HUEY
    HUEY.storage = storage
    HUEY._immediate = True


def run_queued(huey):
    # As the worker would, but without closing the test's database connection (db_task closes
    # connections unless in immediate mode).
    huey._immediate = True
    while task := huey.dequeue():
        huey.execute(task)


@pytest.fixture
def known_email(patient):
    return patient.user.email


@pytest.mark.parametrize("kind", FORMS)
def test_one_address_gets_at_most_three_emails_per_window(kind, known_email, settings):
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 3

    answers = [ask(kind, known_email, client_ip=f"203.0.113.{n}") for n in range(5)]

    assert {a.status_code for a in answers} == {302}  # the same answer every time
    assert [m.to for m in mail.outbox] == [[known_email]] * 3


@pytest.mark.parametrize("kind", FORMS)
def test_one_client_is_stopped_after_ten_requests_even_with_a_forged_header(
    kind, known_email, settings
):
    settings.EMAIL_LINK_LIMIT_PER_CLIENT = 10
    answers = [
        ask(kind, f"someone{n}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(10)
    ]

    refused = ask(kind, known_email, HTTP_X_FORWARDED_FOR="10.9.9.9")
    elsewhere = ask(kind, known_email, client_ip="198.51.100.7")

    assert {a.status_code for a in answers} == {302}
    assert refused.status_code == 429
    assert "Too many requests came from your network" in refused.content.decode()
    assert elsewhere.status_code == 302
    assert [m.to for m in mail.outbox] == [[known_email]]


@pytest.mark.parametrize("kind", FORMS)
def test_behind_the_proxy_each_client_is_counted_apart(kind, known_email, settings):
    settings.NUM_PROXIES = 1
    settings.EMAIL_LINK_LIMIT_PER_CLIENT = 2
    proxy = {"client_ip": "172.30.0.2"}
    for n in range(2):
        ask(kind, f"a{n}@example.org", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.1", **proxy)

    same_client = ask(kind, known_email, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other_client = ask(kind, known_email, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)

    assert same_client.status_code == 429
    assert other_client.status_code == 302


@pytest.mark.parametrize("kind", FORMS)
def test_the_email_is_sent_outside_the_request(kind, known_email, task_queue):
    known = ask(kind, known_email)
    unknown = ask(kind, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse(FORMS[kind][1])
    assert mail.outbox == []  # nothing sent while answering
    assert task_queue.pending_count() == 2  # the same work queued either way

    run_queued(task_queue)

    assert [m.to for m in mail.outbox] == [[known_email]]


@override_settings(SITE_URL="https://clinic.example.org", ALLOWED_HOSTS=["*"])
def test_the_password_reset_link_points_at_the_site_url(therapist):
    ask("password_reset", therapist.email, HTTP_HOST="evil.example")

    body = mail.outbox[0].body
    assert "https://clinic.example.org/accounts/password/reset/" in body
    assert "evil.example" not in body


def test_a_bad_address_is_a_form_error_and_counts(settings, db):
    settings.EMAIL_LINK_LIMIT_PER_CLIENT = 1
    first = ask("sign_in_link", "not an address")
    second = ask("sign_in_link", "not an address")

    assert first.status_code == 400
    assert second.status_code == 429
    assert mail.outbox == []
