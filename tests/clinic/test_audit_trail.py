"""Safeguard 11: one audit event per request that touched a patient's data or an account,
written by the middleware, whatever the door (web, API, Django admin)."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent
from tests.factories import (
    TEST_PASSWORD,
    ExerciseFactory,
    PatientFactory,
    ProgramFactory,
    SuperuserFactory,
)


@pytest.fixture
def program(clinic, patient, therapist):
    return ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)


def only_event() -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, [str(event) for event in events]
    return events[0]


def audit_inserts(queries) -> int:
    return sum(
        1
        for query in queries
        if query["sql"].startswith("INSERT") and AuditEvent._meta.db_table in query["sql"]
    )


# --- Views of patient data -------------------------------------------------------------------


def test_patient_page_writes_one_view_event(client_for, therapist, patient):
    client = client_for(therapist)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/patients/{patient.pk}/", REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 200
    assert audit_inserts(queries) == 1
    event = only_event()
    assert (event.action, event.actor, event.actor_role) == (
        AuditAction.VIEW,
        therapist,
        "therapist",
    )
    assert (event.clinic_id, event.patient) == (patient.clinic_id, patient)
    assert (event.object_type, event.object_id) == ("clinic.patient", str(patient.pk))
    assert (event.ip, event.path) == ("192.0.2.7", f"/patients/{patient.pk}/")


@pytest.mark.parametrize("page", ["/programs/{pk}/", "/programs/{pk}/handout/"])
def test_program_page_and_handout_write_one_event_naming_the_patient(
    client_for, therapist, program, page
):
    response = client_for(therapist).get(page.format(pk=program.pk))

    assert response.status_code == 200
    event = only_event()
    assert (event.action, event.patient_id) == (AuditAction.VIEW, program.patient_id)
    assert (event.object_type, event.object_id) == ("programs.program", str(program.pk))


def test_patient_list_is_one_event_without_a_patient(client_for, therapist, patient):
    client_for(therapist).get("/patients/")

    event = only_event()
    assert (event.action, event.object_type, event.patient) == (
        AuditAction.VIEW,
        "clinic.patient",
        None,
    )


def test_a_patient_reading_their_own_pages_is_recorded(client_for, patient):
    client_for(patient.user).get("/portal/history/")

    event = only_event()
    assert (event.actor, event.actor_role, event.patient) == (patient.user, "patient", patient)


def test_pages_without_patient_data_write_nothing(client_for, therapist, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    client = client_for(therapist)

    client.get("/catalog/")
    client.get(f"/catalog/exercises/{exercise.pk}/")

    assert not AuditEvent.objects.exists()


def test_another_clinics_patient_answers_404_and_writes_nothing(
    client_for, other_clinic_therapist, patient
):
    response = client_for(other_clinic_therapist).get(f"/patients/{patient.pk}/")

    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


# --- Changes --------------------------------------------------------------------------------


def test_editing_a_patient_on_the_web_is_one_change_event(client_for, therapist, patient):
    client = client_for(therapist)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/patients/{patient.pk}/edit/",
            {"first_name": "Pauline", "last_name": patient.last_name, "email": patient.email},
        )

    assert response.status_code == 302
    assert audit_inserts(queries) == 1
    event = only_event()
    assert (event.action, event.patient) == (AuditAction.CHANGE, patient)


def test_adding_a_patient_is_a_create_event(client_for, therapist):
    client_for(therapist).post(
        "/patients/new/", {"first_name": "Nina", "last_name": "New", "email": "nina@example.org"}
    )

    event = only_event()
    assert event.action == AuditAction.CREATE
    assert event.object_type == "clinic.patient"
    assert event.patient.first_name == "Nina"


# --- The API ----------------------------------------------------------------------------------


def test_api_read_of_a_patient_is_one_event(api_for, therapist, patient):
    client = api_for(therapist)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/patients/{patient.pk}/")

    assert response.status_code == 200
    assert audit_inserts(queries) == 1
    event = only_event()
    assert (event.action, event.actor, event.patient) == (AuditAction.VIEW, therapist, patient)


def test_api_change_of_a_patient_is_a_change_event(api_for, therapist, patient):
    response = api_for(therapist).patch(f"/api/v1/patients/{patient.pk}/", {"first_name": "P."})

    assert response.status_code == 200
    event = only_event()
    assert (event.action, event.patient) == (AuditAction.CHANGE, patient)


def test_api_program_logs_name_the_patient(api_for, therapist, program):
    api_for(therapist).get(f"/api/v1/programs/{program.pk}/logs/")

    assert only_event().patient_id == program.patient_id


def test_a_patient_reading_their_own_api_is_recorded(api_for, patient):
    response = api_for(patient.user).get("/api/v1/me/today/")

    assert response.status_code == 200
    event = only_event()
    assert (event.actor, event.patient, event.path) == (patient.user, patient, "/api/v1/me/today/")


# --- Sign-in, sign-out, failed sign-in ---------------------------------------------------------


def test_sign_in_sign_out_and_a_failed_sign_in_are_recorded(client, therapist):
    client.post(reverse("login"), {"username": therapist.email, "password": "wrong-password"})
    client.post(reverse("login"), {"username": therapist.email, "password": TEST_PASSWORD})
    client.post(reverse("logout"))

    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "clinic"))
    assert actions == [
        (AuditAction.SIGN_IN_FAILED, therapist.pk, therapist.clinic_id),
        (AuditAction.SIGN_IN, therapist.pk, therapist.clinic_id),
        (AuditAction.SIGN_OUT, therapist.pk, therapist.clinic_id),
    ]


def test_a_failed_sign_in_for_no_account_names_no_one(client, db):
    client.post(reverse("login"), {"username": "nobody@example.org", "password": "whatever-1"})

    event = only_event()
    assert (event.action, event.actor, event.clinic) == (AuditAction.SIGN_IN_FAILED, None, None)


# --- Platform staff in the Django admin ---------------------------------------------------------


def test_platform_staff_reading_a_patient_in_the_admin_is_recorded(client_for, patient):
    staff = SuperuserFactory()

    response = client_for(staff).get(f"/admin/clinic/patient/{patient.pk}/change/")

    assert response.status_code == 200
    event = only_event()
    assert (event.actor, event.actor_role, event.clinic_id, event.patient) == (
        staff,
        "platform",
        patient.clinic_id,
        patient,
    )


def test_the_admin_shows_the_trail_but_cannot_add_change_or_delete_it(client_for, therapist):
    staff = SuperuserFactory()
    client = client_for(staff)
    client.get("/admin/clinic/patient/")  # one event to look at
    event = AuditEvent.objects.get()

    assert client.get("/admin/clinic/auditevent/").status_code == 200
    assert client.get("/admin/clinic/auditevent/add/").status_code == 403
    assert client.post(f"/admin/clinic/auditevent/{event.pk}/delete/").status_code == 403
    assert client.post(f"/admin/clinic/auditevent/{event.pk}/change/", {}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- The clinic admin's page ---------------------------------------------------------------------


def make_events(count, *, actor, patient, start=None):
    start = start or timezone.now() - timedelta(days=1)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            created_at=start + timedelta(seconds=index),
            clinic_id=actor.clinic_id,
            actor=actor,
            actor_role=actor.role,
            action=AuditAction.VIEW,
            patient=patient,
        )
        for index in range(count)
    )


def test_clinic_admin_reads_only_their_clinics_trail(
    client_for, clinic_admin, therapist, patient, other_clinic_therapist
):
    other_patient = PatientFactory(clinic=other_clinic_therapist.clinic, last_name="Elsewhere")
    make_events(1, actor=therapist, patient=patient)
    make_events(1, actor=other_clinic_therapist, patient=other_patient)

    page = client_for(clinic_admin).get("/clinic/audit/").content.decode()

    assert patient.full_name in page
    assert "Elsewhere" not in page and "bob@example.org" not in page


@pytest.mark.parametrize("actor", ["therapist", "patient_user", "other_clinic_admin"])
def test_only_a_clinic_admin_opens_the_trail(client_for, request, patient, actor):
    user = patient.user if actor == "patient_user" else request.getfixturevalue(actor)
    make_events(1, actor=request.getfixturevalue("therapist"), patient=patient)

    response = client_for(user).get("/clinic/audit/")

    if actor == "other_clinic_admin":
        assert response.status_code == 200
        assert patient.full_name not in response.content.decode()
    else:
        assert response.status_code == 403


def test_filters_by_patient_person_and_dates(client_for, clinic_admin, therapist, patient, clinic):
    someone = PatientFactory(clinic=clinic, first_name="Zed", last_name="Other")
    make_events(1, actor=therapist, patient=patient)
    make_events(1, actor=clinic_admin, patient=someone)
    long_ago = timezone.now() - timedelta(days=40)
    make_events(1, actor=therapist, patient=someone, start=long_ago)
    client = client_for(clinic_admin)

    by_patient = client.get("/clinic/audit/", {"patient": "zed"}).context["events"]
    by_person = client.get("/clinic/audit/", {"person": "theo"}).context["events"]
    recent = client.get(
        "/clinic/audit/", {"date_from": (timezone.now() - timedelta(days=7)).date().isoformat()}
    ).context["events"]

    assert {event.patient for event in by_patient} == {someone}
    assert {event.actor for event in by_person} == {therapist}
    # the two events made recently (and the admin's own two visits to this page), not the old one
    assert all(event.created_at > long_ago for event in recent)
    assert len([event for event in recent if event.patient]) == 2


def test_bad_filters_get_a_message_not_an_error(client_for, clinic_admin):
    response = client_for(clinic_admin).get(
        "/clinic/audit/", {"date_from": "2026-05-01", "date_to": "2026-04-01", "before": "x_y"}
    )

    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()


def test_pages_go_back_in_time_by_cursor(client_for, clinic_admin, therapist, patient):
    make_events(120, actor=therapist, patient=patient)
    client = client_for(clinic_admin)

    first = client.get("/clinic/audit/")
    second = client.get(f"/clinic/audit/?{first.context['older_query']}")
    third = client.get(f"/clinic/audit/?{second.context['older_query']}")

    seen = [e.pk for page in (first, second, third) for e in page.context["events"]]
    assert len(seen) == 120 == len(set(seen))
    assert third.context["older_query"] == ""


@pytest.mark.parametrize("size", [0, 300])
def test_the_trail_page_costs_the_same_whatever_its_size(
    client_for, clinic_admin, therapist, patient, size, django_assert_max_num_queries
):
    make_events(size, actor=therapist, patient=patient)
    client = client_for(clinic_admin)

    # session, user, clinic, one page of events, the page's own audit insert
    with django_assert_max_num_queries(5):
        response = client.get("/clinic/audit/")

    assert response.status_code == 200


def test_csv_export_holds_the_filtered_lines_and_is_itself_audited(
    client_for, clinic_admin, therapist, patient
):
    make_events(3, actor=therapist, patient=patient)

    response = client_for(clinic_admin).get("/clinic/audit/", {"format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # The export's own line is written before the file streams, so it heads the file.
    assert len(lines) == 5
    assert ",export," in lines[1] and all("theo@example.org" in line for line in lines[2:])
    export = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert (export.actor, export.object_type) == (clinic_admin, "clinic.auditevent")


def test_clinic_settings_link_to_the_trail(client_for, clinic_admin):
    assert "/clinic/audit/" in client_for(clinic_admin).get("/clinic/settings/").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_itself_refuses_to_change_or_delete_a_line(therapist, patient):
    make_events(1, actor=therapist, patient=patient)
    event = AuditEvent.objects.get()

    for sql in ("UPDATE clinic_auditevent SET detail = 'x'", "DELETE FROM clinic_auditevent"):
        with (
            pytest.raises(DatabaseError, match="never changed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.get().pk == event.pk
