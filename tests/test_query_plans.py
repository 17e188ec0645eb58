"""Growth is proven, not hoped: the main list and detail pages read the tables that grow with a
clinic (patients, programs, items, logs, pain checks) through indexes.

A few hundred rows are built, each page is requested as a person would, and every SELECT it
ran is EXPLAINed with sequential scans switched off. With so few rows PostgreSQL would rightly
prefer a sequential scan; switching them off asks instead whether an index *can* serve the
query. A plan that still scans a growing table sequentially has no usable index, and that
page would slow down with every patient the clinic adds. PostgreSQL only; no timings.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs import status
from programs.models import ExerciseLog, PainCheck
from tests.factories import (
    LibraryExerciseFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    TherapistFactory,
)

PATIENTS = 300
LOGGED_DAYS = 30
GROWING_TABLES = (
    "clinic_patient",
    "clinic_user",
    "programs_program",
    "programs_programitem",
    "programs_exerciselog",
    "programs_paincheck",
    "programs_patientstatus",
)


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture
def clinic_data(clinic, therapist, patient):
    """300 patients (paula among them) with an active 3-exercise program and a month of logs
    each for a few of them; paula has a month of daily logs and pain checks."""
    today = clinic.today()
    exercises = LibraryExerciseFactory.create_batch(3)
    therapists = [therapist, *TherapistFactory.create_batch(4, clinic=clinic)]
    patients = [patient] + [
        PatientWithAccountFactory(clinic=clinic, primary_therapist=therapists[n % 5])
        for n in range(PATIENTS - 1)
    ]
    logs, checks, programs = [], [], []
    for n, person in enumerate(patients):
        program = ProgramFactory(
            clinic=clinic,
            patient=person,
            therapist=therapists[n % 5],
            start_date=today - datetime.timedelta(days=LOGGED_DAYS + 1),
        )
        programs.append(program)
        items = [
            ProgramItemFactory(program=program, exercise=exercise, position=k + 1)
            for k, exercise in enumerate(exercises)
        ]
        days = LOGGED_DAYS if n == 0 else n % 4
        for item in items:
            logs += [
                ExerciseLog(
                    clinic=clinic,
                    patient=person,
                    program_item=item,
                    performed_on=today - datetime.timedelta(days=d + 1),
                    pain=d % 7,
                )
                for d in range(days)
            ]
        if n == 0:
            checks = [
                PainCheck(
                    clinic=clinic,
                    patient=person,
                    program=program,
                    checked_on=today - datetime.timedelta(days=d),
                    pain_now=2,
                    compared_to_before="same",
                )
                for d in range(LOGGED_DAYS)
            ]
    ExerciseLog.objects.bulk_create(logs)
    PainCheck.objects.bulk_create(checks)
    status.refresh_clinic(clinic)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"patient": patient, "program": programs[0], "item": programs[0].items.first()}


def plans_of(client, path) -> list[tuple[str, str]]:
    """(sql, plan) of every SELECT the page ran, planned with sequential scans off."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    selects = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip("( ").startswith("SELECT")
    ]
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in selects:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
        cursor.execute("RESET enable_seqscan")
    return plans


def assert_indexed(plans, path):
    for sql, plan in plans:
        for table in GROWING_TABLES:
            assert f"Seq Scan on {table}" not in plan, (
                f"{path}: no index serves this read of {table}:\n{sql}\n{plan}"
            )


def plan_text(plans) -> str:
    return "\n".join(plan for _, plan in plans)


STAFF_PAGES = [
    "/dashboard/",
    "/dashboard/?scope=all",
    "/api/v1/dashboard/?scope=all",
    "/patients/",
    "/patients/?page=3",
    "/patients/?sort=adherence7",
    "/patients/{patient}/",
    "/programs/{program}/",
    "/programs/{program}/handout/",
    "/api/v1/patients/",
    "/api/v1/programs/{program}/logs/",
]
PATIENT_PAGES = [
    "/portal/",
    "/portal/items/{item}/",
    "/portal/history/",
    "/portal/days/",
    "/portal/pain-check/",
    "/api/v1/me/today/",
]


def _path(template, data):
    return template.format(
        patient=data["patient"].pk, program=data["program"].pk, item=data["item"].pk
    )


def test_staff_pages_read_growing_tables_through_indexes(client_for, therapist, clinic_data):
    client = client_for(therapist)
    for template in STAFF_PAGES:
        path = _path(template, clinic_data)
        assert_indexed(plans_of(client, path), path)


def test_patient_pages_read_growing_tables_through_indexes(client_for, clinic_data):
    client = client_for(clinic_data["patient"].user)
    for template in PATIENT_PAGES:
        path = _path(template, clinic_data)
        assert_indexed(plans_of(client, path), path)


def test_patient_list_walks_the_name_order_index(client_for, therapist, clinic_data):
    """A page of the list reads 25 patients in name order from the index and each shown
    patient's stored status by its key (programs/status.py): nothing aggregates over the
    logs, before or after paginating."""
    plans = plans_of(client_for(therapist), "/patients/")
    text = plan_text(plans)
    assert "patient_list_order_idx" in text
    assert "programs_patientstatus_pkey" in text
    for sql, plan in plans:
        assert "programs_exerciselog" not in sql, f"the list reads the logs:\n{sql}"
        if "GroupAggregate" in plan or "HashAggregate" in plan:
            assert "COUNT(" in sql.upper(), f"an aggregate beyond the page count:\n{sql}"


def test_the_dashboard_pages_through_the_attention_index(client_for, clinic_admin, clinic_data):
    """The dashboard reads the stored statuses that need attention through their partial
    index, not every patient's row."""
    plans = plans_of(client_for(clinic_admin), "/dashboard/?scope=all")

    assert "status_needing_attention" in plan_text(plans)
    for sql, _plan in plans:
        assert "programs_exerciselog" not in sql, f"the dashboard reads the logs:\n{sql}"
