from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from clinic.models import Invitation, Patient, Role, User
from clinic.services import (
    invitation_create,
    invitation_token,
    patient_create,
    patient_invitation_create,
)
from tests.factories import InvitationFactory, PatientFactory

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def accept_url(invitation):
    return reverse("invitation_accept", args=[invitation_token(invitation)])


def accept_data(**overrides):
    data = {
        "first_name": "Nora",
        "last_name": "Newcomer",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def test_staff_invitation_creates_account_signs_in_and_lands_on_role_home(client, clinic_admin):
    invitation = InvitationFactory(clinic=clinic_admin.clinic, role=Role.THERAPIST)

    response = client.post(accept_url(invitation), accept_data())

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(email=invitation.email)
    assert user.clinic == clinic_admin.clinic
    assert user.role == Role.THERAPIST
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("patient_list")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_patient_invitation_links_the_patient_and_lands_in_the_portal(client, therapist):
    patient, invitation = patient_create(
        clinic=therapist.clinic,
        created_by=therapist,
        first_name="Nora",
        last_name="Newcomer",
        email="Nora@Example.org",
        primary_therapist=therapist,
    )

    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert b"nora@example.org" in page.content
    response = client.post(accept_url(invitation), accept_data())

    assert response.url == reverse("portal_home")
    patient.refresh_from_db()
    assert patient.user.email == "nora@example.org"
    assert patient.user.role == Role.PATIENT
    assert patient.user.clinic == therapist.clinic


def test_a_used_invitation_gets_a_clear_page_and_creates_nothing_more(client, clinic_admin):
    invitation = InvitationFactory(clinic=clinic_admin.clinic)
    url = accept_url(invitation)
    client.post(url, accept_data())
    client.logout()

    again = client.post(url, accept_data(first_name="Someone else"))

    assert again.status_code == 410
    assert b"already used" in again.content
    assert User.objects.filter(email=invitation.email).count() == 1


def test_an_expired_invitation_gets_a_clear_page(client, clinic_admin):
    invitation = InvitationFactory(clinic=clinic_admin.clinic)
    url = accept_url(invitation)

    with time_machine.travel(invitation.created_at + timedelta(days=8)):
        response = client.get(url)

    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_tampered_invitation_link_gets_a_clear_page(client, clinic_admin):
    invitation = InvitationFactory(clinic=clinic_admin.clinic)
    token = invitation_token(invitation)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.get(reverse("invitation_accept", args=[tampered]))

    assert response.status_code == 400
    assert b"not valid" in response.content


def test_a_resent_invitation_retires_the_older_link(client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    first = patient_invitation_create(patient=patient, invited_by=therapist)
    second = patient_invitation_create(patient=patient, invited_by=therapist)

    assert client.get(accept_url(first)).status_code == 410
    assert client.get(accept_url(second)).status_code == 200


def test_bad_password_shows_the_form_again_and_saves_nothing(client, clinic_admin):
    invitation = InvitationFactory(clinic=clinic_admin.clinic)

    response = client.post(
        accept_url(invitation), accept_data(new_password1="short", new_password2="other")
    )

    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert not User.objects.filter(email=invitation.email).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_password_similar_to_the_name_is_refused(client, clinic_admin):
    invitation = InvitationFactory(clinic=clinic_admin.clinic)

    response = client.post(
        accept_url(invitation),
        accept_data(
            first_name="Wolfgangus", new_password1="wolfgangus", new_password2="wolfgangus"
        ),
    )

    assert response.status_code == 400
    assert not User.objects.filter(email=invitation.email).exists()


def test_invitation_create_refuses_a_patient_invitation_without_a_patient(clinic_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        invitation_create(
            clinic=clinic_admin.clinic,
            email="x@example.org",
            role=Role.PATIENT,
            invited_by=clinic_admin,
        )


def test_admin_invites_a_therapist_by_email(client_for, clinic_admin):
    client = client_for(clinic_admin)

    response = client.post(
        reverse("team"),
        {"first_name": "Tia", "last_name": "New", "email": "Tia@Example.org", "role": "therapist"},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="tia@example.org")
    assert invitation.clinic == clinic_admin.clinic
    assert invitation.role == Role.THERAPIST
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tia@example.org"]
    assert invitation_token(invitation) in mail.outbox[0].body


def test_team_invite_bad_input_shows_errors_and_sends_nothing(client_for, clinic_admin, therapist):
    client = client_for(clinic_admin)

    response = client.post(
        reverse("team"),
        {"first_name": "", "last_name": "X", "email": therapist.email, "role": "patient"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "already has an account" in content
    assert "This field is required" in content
    assert "Select a valid choice" in content
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_therapist_adds_a_patient_and_the_invitation_is_emailed(client_for, therapist):
    client = client_for(therapist)

    response = client.post(
        reverse("patient_add"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "primary_therapist": therapist.pk,
        },
    )

    patient = Patient.objects.get(email="ada@example.org")
    assert response.status_code == 302
    assert response.url == patient.get_absolute_url()
    assert patient.clinic == therapist.clinic
    assert patient.user is None
    assert len(mail.outbox) == 1
    invitation = patient.invitations.get()
    assert invitation_token(invitation) in mail.outbox[0].body


def test_resend_sends_a_new_link(client_for, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    client = client_for(therapist)

    response = client.post(reverse("patient_invitation_resend", args=[patient.pk]))

    assert response.status_code == 302
    assert patient.invitations.count() == 1
    assert len(mail.outbox) == 1


def test_resend_for_a_patient_with_an_account_sends_nothing(client_for, therapist, patient):
    client = client_for(therapist)

    client.post(reverse("patient_invitation_resend", args=[patient.pk]))

    assert patient.invitations.count() == 0
    assert mail.outbox == []


def test_an_invitation_for_an_address_with_an_account_gets_a_clear_page(client, clinic, patient):
    """Another clinic invited someone who already signs in here: one account per address, so
    the link says how to go on instead of failing."""
    invitation = InvitationFactory(clinic=clinic, email=patient.email.upper(), role=Role.THERAPIST)

    shown = client.get(accept_url(invitation))
    posted = client.post(accept_url(invitation), accept_data())

    for response in (shown, posted):
        assert response.status_code == 409
        assert "already has an account" in response.content.decode()
    assert User.objects.filter(email__iexact=patient.email).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_team_form_does_not_tell_about_other_clinics_accounts(
    client_for, clinic_admin, other_clinic_therapist
):
    response = client_for(clinic_admin).post(
        reverse("team"),
        {
            "first_name": "Bob",
            "last_name": "Elsewhere",
            "email": other_clinic_therapist.email,
            "role": "therapist",
        },
    )

    assert response.status_code == 302
    assert Invitation.objects.filter(email=other_clinic_therapist.email).exists()
