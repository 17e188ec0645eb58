"""Safeguard 15: passwords of at least 12 characters, not common, no composition rules."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.models import User
from clinic.services import invitation_token
from tests.factories import InvitationFactory


def post_password(client, invitation, password):
    return client.post(
        reverse("invitation_accept", args=[invitation_token(invitation)]),
        {
            "first_name": "Nora",
            "last_name": "Newcomer",
            "new_password1": password,
            "new_password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven-char", "Use at least 12 characters."),
        ("qwerty123456", "Many people use this password"),
    ],
)
def test_a_short_or_common_password_gets_a_plain_message(client, clinic, password, message):
    invitation = InvitationFactory(clinic=clinic)

    response = post_password(client, invitation, password)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize(
    "password",
    [
        "plain lowercase words only",  # no digits, capitals or symbols needed
        "demo-exercise-2026",  # the demo logins of `make run`
        "twelve chars",
    ],
)
def test_long_uncommon_passwords_pass_without_composition_rules(password):
    validate_password(password)


def test_an_eleven_character_password_is_refused():
    with pytest.raises(ValidationError):
        validate_password("x" * 5 + "y" * 6)


def test_the_form_tells_the_rule_before_anyone_types(client, clinic):
    invitation = InvitationFactory(clinic=clinic)

    response = client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))

    assert "At least 12 characters" in response.content.decode()
