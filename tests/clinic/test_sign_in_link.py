from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.services import sign_in_link_token


def request_link(client, email):
    return client.post(reverse("sign_in_link_request"), {"email": email})


def link_path(user):
    return reverse("sign_in_link", args=[sign_in_link_token(user)])


def test_a_patient_gets_a_link_that_signs_them_in_once(client, patient):
    response = request_link(client, "PAULA@example.org")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    path = body[body.index("/accounts/login/link/") :].split()[0]
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "_auth_user_id" not in client.session  # opening the link alone signs no one in
    signed_in = client.post(path)
    assert signed_in.url == reverse("portal_home")
    assert client.session["_auth_user_id"] == str(patient.user.pk)

    client.logout()
    reused = client.post(path)
    assert reused.status_code == 410
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, patient):
    known = request_link(client, patient.email)
    unknown = request_link(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert [m.to for m in mail.outbox] == [[patient.email]]


def test_staff_addresses_get_no_link(client, therapist):
    response = request_link(client, therapist.email)

    assert response.status_code == 302
    assert mail.outbox == []


def test_an_expired_link_is_refused(client, patient):
    path = link_path(patient.user)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(path)

    assert response.status_code == 410
    assert b"expired" in response.content
    assert "_auth_user_id" not in client.session


def test_a_tampered_link_is_refused(client, patient):
    path = link_path(patient.user)

    response = client.get(path[:-6] + "xxxxx/")

    assert response.status_code == 400


def test_an_inactive_patient_cannot_use_a_link(client, patient):
    path = link_path(patient.user)
    patient.user.is_active = False
    patient.user.save()

    assert client.post(path).status_code == 400


def test_bad_address_shows_a_form_error(client):
    response = request_link(client, "not an address")

    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert mail.outbox == []
