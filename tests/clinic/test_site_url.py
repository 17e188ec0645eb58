"""Safeguard 16: links in e-mails come from SITE_URL, never from the request's Host header."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import PatientFactory

SITE = "https://clinic.example.org"
FORGED = {"HTTP_HOST": "evil.example"}

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture(autouse=True)
def configured_site():
    # Any Host is accepted here, so only SITE_URL can keep the links honest.
    with override_settings(SITE_URL=SITE, ALLOWED_HOSTS=["*"]):
        yield


def only_links_to_the_site(body: str) -> bool:
    return f"{SITE}/accounts/" in body and "evil.example" not in body


def test_a_staff_invitation_links_to_the_site_url(client_for, clinic_admin):
    client = client_for(clinic_admin)

    client.post(
        reverse("team"),
        {"first_name": "Tia", "last_name": "N", "email": "tia@example.org", "role": "therapist"},
        **FORGED,
    )

    assert only_links_to_the_site(mail.outbox[0].body)


def test_a_patient_invitation_links_to_the_site_url(client_for, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    client = client_for(therapist)

    client.post(reverse("patient_invitation_resend", args=[patient.pk]), **FORGED)

    assert only_links_to_the_site(mail.outbox[0].body)


def test_a_sign_in_link_links_to_the_site_url(client, patient):
    client.post(reverse("sign_in_link_request"), {"email": patient.email}, **FORGED)

    assert only_links_to_the_site(mail.outbox[0].body)


def test_the_handout_qr_points_at_the_site_url(client_for, therapist, patient):
    from tests.factories import ProgramFactory

    program = ProgramFactory(clinic=therapist.clinic, patient=patient, therapist=therapist)

    response = client_for(therapist).get(reverse("program_handout", args=[program.pk]), **FORGED)

    assert f"{SITE}/accounts/login/" in response.content.decode()


def test_create_clinic_defaults_to_the_site_url(db):
    call_command("create_clinic", "Sunrise", admin="lead@sunrise.example", stdout=None)

    assert only_links_to_the_site(mail.outbox[0].body)
