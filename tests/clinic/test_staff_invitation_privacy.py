"""Finding 5: the team form's answer never depends on other clinics' accounts."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clinic.services import check_staff_invitable
from tests.factories import PatientWithAccountFactory


def invite(admin, email):
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("team"),
        {"first_name": "Ann", "last_name": "Other", "email": email, "role": "therapist"},
    )
    shown = [str(m).replace(email, "<email>") for m in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location"), shown


@pytest.mark.parametrize("who", ["other_clinic_patient", "other_clinic_admin", "other_therapist"])
def test_an_address_known_only_to_another_clinic_gets_the_answer_of_a_new_address(
    clinic_admin, other_clinic, other_clinic_admin, other_clinic_therapist, who
):
    known_elsewhere = {
        "other_clinic_patient": PatientWithAccountFactory(
            clinic=other_clinic, email="pat@elsewhere.example"
        ).email,
        "other_clinic_admin": other_clinic_admin.email,
        "other_therapist": other_clinic_therapist.email,
    }[who]
    for_known = invite(clinic_admin, known_elsewhere)
    for_new = invite(clinic_admin, "brand-new@example.org")

    assert for_known == for_new
    assert for_known[0] == 302
    assert len(mail.outbox) == 2  # the invitee learns about their account on the accept page


def test_the_rule_looks_at_the_own_clinic_only(clinic, therapist, other_clinic_therapist):
    check_staff_invitable(clinic=clinic, email=other_clinic_therapist.email)  # no error
    with pytest.raises(ValidationError):
        check_staff_invitable(clinic=clinic, email=therapist.email.upper())
