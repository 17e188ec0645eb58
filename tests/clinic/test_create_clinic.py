import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from clinic.models import Clinic, Invitation, Role


def test_creates_the_clinic_and_invites_its_first_admin(db):
    call_command(
        "create_clinic",
        "Sunrise Physical Therapy",
        admin="Lead@Sunrise.example",
        timezone="Europe/Madrid",
        site_url="https://hep.example.org/",
        stdout=None,
    )

    clinic = Clinic.objects.get(slug="sunrise-physical-therapy")
    invitation = Invitation.objects.get(clinic=clinic)
    assert clinic.timezone == "Europe/Madrid"
    assert (invitation.email, invitation.role) == ("lead@sunrise.example", Role.ADMIN)
    assert "https://hep.example.org/accounts/invitation/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"slug": "clinic-a"}, "already exists"),
        ({"admin": "alice@example.org"}, "already has an account"),
    ],
)
def test_bad_input_creates_nothing(clinic_admin, kwargs, message):
    arguments = {"admin": "new@example.org", **kwargs}

    with pytest.raises(CommandError, match=message):
        call_command("create_clinic", "Another clinic", **arguments)

    assert Clinic.objects.count() == 1
    assert not Invitation.objects.exists()
    assert mail.outbox == []
