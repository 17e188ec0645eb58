"""Finding 8: log lines carry no e-mail or IP address, only a keyed hash to correlate them."""

import logging

from django.test import Client
from django.urls import reverse

from clinic.log_privacy import RedactPersonalData, pseudonym, redact

ATTACKER_IP = "198.51.100.66"


def test_lockout_warnings_name_nobody(caplog, therapist):
    with caplog.at_level(logging.INFO):
        for _ in range(6):
            Client().post(
                reverse("login"),
                {"username": therapist.email, "password": "wrong-wrong"},
                REMOTE_ADDR=ATTACKER_IP,
            )

    lines = [record.getMessage() for record in caplog.records]
    assert any("Locking out" in line for line in lines)
    for line in lines:
        assert therapist.email not in line.lower()
        assert ATTACKER_IP not in line
    tag = pseudonym(therapist.email, kind="email")
    assert any(tag in line for line in lines)  # still enough to tell attempts apart


def test_the_same_address_always_gets_the_same_tag_and_the_key_matters(settings):
    first = pseudonym("Theo@Example.org", kind="email")

    assert first == pseudonym("theo@example.org", kind="email")
    assert "theo" not in first
    settings.SECRET_KEY = "another-key-" * 5
    assert pseudonym("theo@example.org", kind="email") != first


def test_any_log_line_through_the_console_handler_is_redacted():
    handlers = logging.getLogger().handlers + logging.getLogger("django").handlers
    assert any(isinstance(f, RedactPersonalData) for h in handlers for f in h.filters)
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden for %s from %s (%s)",
        ("pat@example.org", "203.0.113.9", "2001:db8::7"),
        None,
    )

    RedactPersonalData().filter(record)

    line = record.getMessage()
    assert "pat@example.org" not in line
    assert "203.0.113.9" not in line
    assert "2001:db8::7" not in line
    assert pseudonym("203.0.113.9", kind="ip") in line


def test_redact_leaves_times_and_versions_alone():
    assert redact("at 12:30:45, version 1.2.3") == "at 12:30:45, version 1.2.3"
