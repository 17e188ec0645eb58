"""Safeguard 14: clinic admins deactivate and reactivate staff and patients; deactivation ends
that person's sessions and tokens at once; audited; never yourself or the last admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from clinic.models import AuditAction, AuditEvent, Invitation, Patient, User, UserSession
from clinic.services import access_set_active, api_token_create, patient_invitation_create
from tests.factories import TEST_PASSWORD, AdminFactory, PatientFactory


def browser_of(user):
    browser = Client()
    browser.force_login(user)
    return browser


def app_of(user):
    token, _row = api_token_create(user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def can_sign_in(user):
    response = Client().post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    return response.status_code == 302


# --- Staff, from the team page -----------------------------------------------------------------


def test_admin_deactivates_a_therapist_who_is_signed_out_at_once(
    client_for, clinic_admin, therapist
):
    laptop, phone_app = browser_of(therapist), app_of(therapist)
    admin = client_for(clinic_admin)

    response = admin.post(reverse("team_member_access", args=[therapist.pk]), {"active": "0"})

    assert response.url == reverse("team")
    assert laptop.get(reverse("patient_list")).status_code == 302
    assert phone_app.get("/api/v1/auth/user/").status_code == 401
    assert not UserSession.objects.filter(user=therapist).exists()
    assert not can_sign_in(therapist)
    event = AuditEvent.objects.get(action=AuditAction.ACCESS, detail="deactivated")
    assert (event.actor, event.object_id, event.clinic_id) == (
        clinic_admin,
        str(therapist.pk),
        clinic_admin.clinic_id,
    )
    page = admin.get(reverse("team")).content.decode()
    assert "deactivated" in page and "Reactivate" in page


def test_admin_reactivates_a_therapist(client_for, clinic_admin, therapist):
    admin = client_for(clinic_admin)
    admin.post(reverse("team_member_access", args=[therapist.pk]), {"active": "0"})

    admin.post(reverse("team_member_access", args=[therapist.pk]), {"active": "1"})

    assert can_sign_in(therapist)
    assert AuditEvent.objects.filter(detail="reactivated", object_id=str(therapist.pk)).exists()


def test_an_admin_cannot_deactivate_themself(client_for, clinic_admin):
    admin = client_for(clinic_admin)

    response = admin.post(
        reverse("team_member_access", args=[clinic_admin.pk]), {"active": "0"}, follow=True
    )

    assert "You cannot deactivate your own account." in response.content.decode()
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active
    assert admin.get(reverse("team")).status_code == 200


def test_the_clinic_keeps_its_last_admin(clinic, clinic_admin):
    """Two admins deactivating each other at the same moment: the second one is refused."""
    other_admin = AdminFactory(clinic=clinic, email="ada@example.org")
    stale_view_of_other_admin = User.objects.get(pk=other_admin.pk)
    access_set_active(actor=clinic_admin, active=False, user=other_admin)

    with pytest.raises(ValidationError, match="at least one active admin"):
        access_set_active(actor=stale_view_of_other_admin, active=False, user=clinic_admin)

    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_bad_input_is_a_clear_message(client_for, clinic_admin, therapist):
    response = client_for(clinic_admin).post(
        reverse("team_member_access", args=[therapist.pk]), {"active": "maybe"}, follow=True
    )

    assert "Choose whether to deactivate or reactivate." in response.content.decode()
    therapist.refresh_from_db()
    assert therapist.is_active


def test_therapists_cannot_change_access(client_for, therapist, clinic_admin, patient):
    client = client_for(therapist)

    assert (
        client.post(
            reverse("team_member_access", args=[clinic_admin.pk]), {"active": "0"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("patient_access", args=[patient.pk]), {"active": "0"}).status_code
        == 403
    )
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_another_clinics_people_answer_404(client_for, other_clinic_admin, therapist, patient):
    client = client_for(other_clinic_admin)

    assert (
        client.post(reverse("team_member_access", args=[therapist.pk]), {"active": "0"}).status_code
        == 404
    )
    assert (
        client.post(reverse("patient_access", args=[patient.pk]), {"active": "0"}).status_code
        == 404
    )
    therapist.refresh_from_db()
    assert therapist.is_active


def test_a_patient_account_cannot_be_changed_from_the_team_page(client_for, clinic_admin, patient):
    response = client_for(clinic_admin).post(
        reverse("team_member_access", args=[patient.user.pk]), {"active": "0"}
    )

    assert response.status_code == 404


# --- Patients, from the patient page ------------------------------------------------------------


def test_admin_deactivates_a_patient_from_the_patient_page(client_for, clinic_admin, patient):
    phone, app = browser_of(patient.user), app_of(patient.user)
    admin = client_for(clinic_admin)
    assert (
        "Deactivate patient"
        in admin.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    )

    response = admin.post(reverse("patient_access", args=[patient.pk]), {"active": "0"})

    assert response.url == reverse("patient_detail", args=[patient.pk])
    patient.refresh_from_db()
    assert not patient.is_active and not patient.user.is_active
    assert phone.get(reverse("portal_home")).status_code == 302
    assert app.get("/api/v1/me/today/").status_code == 401
    assert not can_sign_in(patient.user)
    assert AuditEvent.objects.filter(patient=patient, detail="deactivated").exists()
    row_link = f'href="{reverse("patient_detail", args=[patient.pk])}"'
    assert row_link not in admin.get(reverse("patient_list")).content.decode()
    deactivated = admin.get(reverse("patient_list") + "?deactivated=1").content.decode()
    assert row_link in deactivated

    admin.post(reverse("patient_access", args=[patient.pk]), {"active": "1"})

    patient.refresh_from_db()
    assert patient.is_active and patient.user.is_active
    assert can_sign_in(patient.user)


def test_deactivating_an_invited_patient_stops_the_invitation_link(clinic_admin, therapist):
    invited = PatientFactory(clinic=therapist.clinic)
    invitation = patient_invitation_create(patient=invited, invited_by=therapist)

    access_set_active(actor=clinic_admin, active=False, patient=invited)

    assert not Invitation.objects.get(pk=invitation.pk).is_pending
    assert not Patient.objects.get(pk=invited.pk).is_active


def test_therapists_do_not_see_the_access_buttons(client_for, therapist, patient):
    page = client_for(therapist).get(reverse("patient_detail", args=[patient.pk])).content.decode()

    assert "Deactivate patient" not in page


# --- The API -----------------------------------------------------------------------------------


def test_the_api_deactivates_and_reactivates_a_patient(api_for, clinic_admin, patient):
    app = app_of(patient.user)
    api = api_for(clinic_admin)

    response = api.post(f"/api/v1/patients/{patient.pk}/deactivate/")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert app.get("/api/v1/auth/user/").status_code == 401
    assert api.post(f"/api/v1/patients/{patient.pk}/reactivate/").json()["is_active"] is True


def test_the_api_deactivates_a_team_member(api_for, clinic_admin, therapist):
    app = app_of(therapist)
    api = api_for(clinic_admin)

    listed = api.get("/api/v1/team/").json()
    response = api.post(f"/api/v1/team/{therapist.pk}/deactivate/")

    assert {m["email"] for m in listed["results"]} == {clinic_admin.email, therapist.email}
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert app.get("/api/v1/auth/user/").status_code == 401


def test_the_api_refuses_self_deactivation_with_a_400(api_for, clinic_admin):
    response = api_for(clinic_admin).post(f"/api/v1/team/{clinic_admin.pk}/deactivate/")

    assert response.status_code == 400
    assert "own account" in str(response.json())


def test_the_api_keeps_other_clinics_and_therapists_out(
    api_for, therapist, other_clinic_admin, patient, clinic_admin
):
    outsider = api_for(other_clinic_admin)
    assert outsider.post(f"/api/v1/patients/{patient.pk}/deactivate/").status_code == 404
    assert outsider.post(f"/api/v1/team/{therapist.pk}/deactivate/").status_code == 404
    assert api_for(therapist).post(f"/api/v1/patients/{patient.pk}/deactivate/").status_code == 403
    assert api_for(therapist).get("/api/v1/team/").status_code == 403


def test_platform_staff_deactivating_in_the_django_admin_also_signs_out(therapist):
    from tests.factories import SuperuserFactory

    laptop = browser_of(therapist)
    staff = browser_of(SuperuserFactory())
    change = reverse("admin:clinic_user_change", args=[therapist.pk])
    form = staff.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(is_active="", clinic=therapist.clinic_id, last_login_0="", last_login_1="")
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "10:00:00"

    response = staff.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert laptop.get(reverse("patient_list")).status_code == 302
    assert not UserSession.objects.filter(user=therapist).exists()
