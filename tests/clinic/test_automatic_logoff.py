"""Safeguard 12: staff are signed out after 15 idle minutes and 12 hours at most; patients keep
a long session; activity is written to the session at most once a minute."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent, UserSession
from clinic.sessions import SessionStore
from tests.factories import TEST_PASSWORD, SuperuserFactory


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def session_writes(queries) -> int:
    table = UserSession._meta.db_table
    return sum(
        1
        for query in queries
        if table in query["sql"] and query["sql"].startswith(("UPDATE", "INSERT"))
    )


def test_staff_idle_for_16_minutes_sign_in_again_and_come_back(client, therapist, clock):
    sign_in(client, therapist)

    clock.shift(timedelta(minutes=16))
    response = client.get("/patients/?q=ann")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fpatients%2F%3Fq%3Dann"
    assert not is_signed_in(client)
    again = client.post(
        response["Location"], {"username": therapist.email, "password": TEST_PASSWORD}
    )
    assert again["Location"] == "/patients/?q=ann"


def test_staff_active_within_15_minutes_stay_signed_in(client, therapist, clock):
    sign_in(client, therapist)

    for _ in range(6):
        clock.shift(timedelta(minutes=14))
        assert client.get("/patients/").status_code == 200

    assert is_signed_in(client)


def test_staff_are_signed_out_after_12_hours_however_active(client, clinic_admin, clock):
    sign_in(client, clinic_admin)

    for _ in range(12 * 6):  # every 10 minutes for 12 hours
        clock.shift(timedelta(minutes=10))
        client.get("/patients/")
    clock.shift(timedelta(minutes=1))
    response = client.get("/patients/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not is_signed_in(client)


def test_the_idle_limit_is_a_setting(client, therapist, clock, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 5
    sign_in(client, therapist)

    clock.shift(timedelta(minutes=6))

    assert client.get("/patients/").status_code == 302


def test_platform_staff_are_signed_out_too(client, db, clock):
    staff = SuperuserFactory()
    sign_in(client, staff)

    clock.shift(timedelta(minutes=16))
    response = client.get("/admin/")

    assert response["Location"].startswith("/accounts/login/?next=%2Fadmin%2F")


def test_a_form_sent_after_the_timeout_returns_to_the_page_it_was_on(
    client, therapist, patient, clock
):
    sign_in(client, therapist)
    clock.shift(timedelta(minutes=20))

    response = client.post(
        f"/patients/{patient.pk}/edit/",
        {"first_name": "X"},
        HTTP_REFERER=f"http://testserver/patients/{patient.pk}/edit/",
    )

    assert response["Location"] == f"/accounts/login/?next=%2Fpatients%2F{patient.pk}%2Fedit%2F"
    patient.refresh_from_db()
    assert patient.first_name != "X"


def test_htmx_and_api_calls_after_the_timeout(client, therapist, clock):
    sign_in(client, therapist)
    clock.shift(timedelta(minutes=16))

    htmx = client.get("/patients/", HTTP_HX_REQUEST="true")

    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/accounts/login/")
    sign_in(client, therapist)
    clock.shift(timedelta(minutes=16))
    assert client.get("/api/v1/patients/").status_code == 401


def test_automatic_logoff_is_in_the_audit_trail(client, therapist, clock):
    sign_in(client, therapist)
    clock.shift(timedelta(minutes=16))

    client.get("/patients/")

    event = AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).get()
    assert (event.actor, event.detail) == (therapist, "automatic logoff")


def test_patients_keep_a_long_session(client, patient, clock):
    sign_in(client, patient.user)

    clock.shift(timedelta(days=3))
    response = client.get("/portal/history/")

    assert response.status_code == 200
    assert is_signed_in(client)
    assert client.session.get_expiry_age() > 29 * 24 * 60 * 60


def test_activity_is_written_at_most_once_a_minute(client, therapist, clock):
    sign_in(client, therapist)
    clock.shift(timedelta(minutes=2))
    client.get("/patients/")  # writes the new activity time

    clock.shift(timedelta(seconds=30))
    with CaptureQueriesContext(connection) as within_a_minute:
        client.get("/patients/")
    clock.shift(timedelta(seconds=31))
    with CaptureQueriesContext(connection) as after_a_minute:
        client.get("/patients/")

    assert session_writes(within_a_minute) == 0
    assert session_writes(after_a_minute) == 1


def test_stay_signed_in_counts_as_activity(client, therapist, clock):
    sign_in(client, therapist)
    clock.shift(timedelta(minutes=14))

    by_script = client.post(reverse("session_keepalive"), HTTP_ACCEPT="application/json")
    clock.shift(timedelta(minutes=14))
    without_script = client.post(reverse("session_keepalive"), {"next": "/patients/"})
    clock.shift(timedelta(minutes=14))

    assert by_script.status_code == 204
    assert without_script["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_stay_signed_in_never_redirects_elsewhere(client, therapist):
    sign_in(client, therapist)

    response = client.post(reverse("session_keepalive"), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("home")


def test_staff_pages_carry_the_warning_and_patient_pages_do_not(client_for, therapist, patient):
    staff_page = client_for(therapist).get("/patients/").content.decode()
    patient_page = client_for(patient.user).get("/portal/history/").content.decode()

    assert 'id="session-warning"' in staff_page
    assert 'data-idle-seconds="900"' in staff_page
    assert "js/session-timeout.js" in staff_page
    assert "session-warning" not in patient_page


def test_a_sign_in_without_a_session_sets_no_session_timers(rf, therapist):
    request = rf.post("/api/v1/auth/token/")
    request.session = SessionStore()

    user_logged_in.send(sender=type(therapist), request=request, user=therapist)

    assert "signed_in_at" not in request.session
    assert "_session_expiry" not in request.session
