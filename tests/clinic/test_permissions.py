"""Who may open which page: a matrix over roles, and tenant isolation for every id."""

import pytest
from django.urls import reverse

from clinic.models import Patient
from tests.factories import PatientFactory

STAFF_PAGES = ["patient_list", "patient_add"]
ADMIN_PAGES = ["clinic_settings", "team"]
PATIENT_PAGES = ["portal_home"]


def actor_user(request, actor):
    if actor == "anonymous":
        return None
    person = request.getfixturevalue(actor)
    return getattr(person, "user", person)


@pytest.mark.parametrize(
    ("url_name", "actor", "expected"),
    [
        *[(page, "anonymous", 302) for page in STAFF_PAGES + ADMIN_PAGES + PATIENT_PAGES],
        *[(page, "patient", 403) for page in STAFF_PAGES + ADMIN_PAGES],
        *[(page, "therapist", 200) for page in STAFF_PAGES],
        *[(page, "therapist", 403) for page in ADMIN_PAGES + PATIENT_PAGES],
        *[(page, "clinic_admin", 200) for page in STAFF_PAGES + ADMIN_PAGES],
        *[(page, "clinic_admin", 403) for page in PATIENT_PAGES],
        *[(page, "patient", 200) for page in PATIENT_PAGES],
    ],
)
def test_role_matrix(client, request, url_name, actor, expected):
    user = actor_user(request, actor)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))


def test_the_403_page_uses_the_site_look_and_offers_the_way_home(client_for, patient):
    response = client_for(patient.user).get(reverse("patient_list"))

    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content
    assert b'id="main"' in response.content


PATIENT_ID_PAGES = [
    ("get", "patient_detail"),
    ("get", "patient_edit"),
    ("post", "patient_edit"),
    ("post", "patient_invitation_resend"),
]


@pytest.mark.parametrize(("method", "url_name"), PATIENT_ID_PAGES)
def test_other_clinic_gets_404_for_a_patient(client_for, other_clinic_therapist, method, url_name):
    patient = PatientFactory()  # of a third clinic
    client = client_for(other_clinic_therapist)

    response = getattr(client, method)(reverse(url_name, args=[patient.pk]))

    assert response.status_code == 404
    assert Patient.objects.get(pk=patient.pk).first_name == patient.first_name


@pytest.mark.parametrize(("method", "url_name"), PATIENT_ID_PAGES)
def test_other_clinic_admin_gets_404_for_a_patient(
    client_for, patient, other_clinic_admin, method, url_name
):
    response = getattr(client_for(other_clinic_admin), method)(reverse(url_name, args=[patient.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "url_name", "data", "expected"),
    [
        ("get", "patient_detail", None, 200),
        ("get", "patient_edit", None, 200),
        # a form without a first name: the page again, with the missing field named
        ("post", "patient_edit", {"first_name": ""}, 400),
        # paula already has an account: no invitation, back to her page with a note
        ("post", "patient_invitation_resend", None, 302),
    ],
)
def test_own_clinic_staff_reach_patient_pages(
    client_for, therapist, patient, method, url_name, data, expected
):
    response = getattr(client_for(therapist), method)(reverse(url_name, args=[patient.pk]), data)

    assert response.status_code == expected
    if expected == 302:
        assert response.url == patient.get_absolute_url()
    if expected == 400:
        assert "first_name" in response.context["form"].errors


@pytest.mark.parametrize(("method", "url_name"), PATIENT_ID_PAGES)
def test_a_patient_cannot_reach_staff_pages_even_for_themselves(
    client_for, patient, method, url_name
):
    response = getattr(client_for(patient.user), method)(reverse(url_name, args=[patient.pk]))

    assert response.status_code == 403


def test_patients_see_only_their_own_patient_row(patient, clinic):
    other = PatientFactory(clinic=clinic)

    visible = Patient.objects.for_user(patient.user)

    assert list(visible) == [patient]
    assert other not in visible


def test_inactive_staff_see_nothing(therapist, patient):
    therapist.is_active = False

    assert Patient.objects.for_user(therapist).count() == 0
