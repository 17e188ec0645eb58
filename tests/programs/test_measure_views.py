"""Staff side of outcome measures: assign and stop on the patient page, results with change,
MCID and an SVG chart with its table, the list of measures, and the audited CSV export."""

import datetime

import pytest

from clinic.models import AuditEvent
from programs.measures.models import MeasureAssignment
from tests.factories import (
    InstrumentFactory,
    MeasureAssignmentFactory,
    MeasureResponseFactory,
    PatientWithAccountFactory,
)

TODAY = datetime.date.today()


@pytest.fixture
def instrument(clinic):
    return InstrumentFactory(clinic=clinic)


def test_assign_from_the_patient_page(client_for, therapist, patient, instrument):
    client = client_for(therapist)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Assign a measure" in page and instrument.short_name in page

    response = client.post(
        f"/patients/{patient.pk}/measures/assign/",
        {
            "instrument": instrument.pk,
            "starts_on": TODAY.isoformat(),
            "every_weeks": "4",
            "at_discharge": "on",
        },
    )

    assert response.status_code == 302
    assignment = MeasureAssignment.objects.get()
    assert (assignment.every_weeks, assignment.next_due_on, assignment.assigned_by) == (
        4,
        TODAY,
        therapist,
    )


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"starts_on": "2026-13-01"}, "Enter a valid date"),
        ({"every_weeks": "0"}, "greater than or equal to 1"),
        ({"every_weeks": "53"}, "less than or equal to 52"),
        ({"instrument": "999999"}, "Choose a measure of your clinic"),
        ({"instrument": "abc"}, "Choose a measure of your clinic"),
    ],
)
def test_bad_assignments_show_a_message(
    client_for, therapist, patient, instrument, data, field_message
):
    form = {"instrument": instrument.pk, "starts_on": TODAY.isoformat(), **data}
    response = client_for(therapist).post(f"/patients/{patient.pk}/measures/assign/", form)

    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not MeasureAssignment.objects.exists()


def test_another_clinics_measure_cannot_be_assigned(client_for, therapist, patient, other_clinic):
    theirs = InstrumentFactory(clinic=other_clinic)
    response = client_for(therapist).post(
        f"/patients/{patient.pk}/measures/assign/",
        {"instrument": theirs.pk, "starts_on": TODAY.isoformat()},
    )
    assert response.status_code == 400 and not MeasureAssignment.objects.exists()


def test_assigning_twice_is_refused_with_a_message(client_for, therapist, patient, instrument):
    MeasureAssignmentFactory(patient=patient, instrument=instrument)
    response = client_for(therapist).post(
        f"/patients/{patient.pk}/measures/assign/",
        {"instrument": instrument.pk, "starts_on": TODAY.isoformat()},
    )
    assert response.status_code == 400 and "already answers" in response.content.decode()


def test_stop(client_for, therapist, patient, instrument):
    assignment = MeasureAssignmentFactory(patient=patient, instrument=instrument)
    client = client_for(therapist)

    assert client.post(f"/patients/measures/{assignment.pk}/stop/").status_code == 302
    assignment.refresh_from_db()
    assert assignment.stopped_at is not None
    again = client.post(f"/patients/measures/{assignment.pk}/stop/", follow=True)
    assert "already stopped" in again.content.decode()


def test_results_show_change_mcid_chart_and_table(client_for, therapist, patient, instrument):
    assignment = MeasureAssignmentFactory(patient=patient, instrument=instrument)
    for n, score in enumerate([10, 8, 5]):
        MeasureResponseFactory(
            assignment=assignment,
            score=score,
            answered_on=TODAY - datetime.timedelta(days=20 - n * 7),
        )

    page = client_for(therapist).get(f"/patients/{patient.pk}/").content.decode()

    assert "First score 10.0, latest 5.0: change -5" in page
    assert "better by the MCID or more" in page
    assert '<svg viewBox="0 0 480 200"' in page and 'role="img"' in page
    assert page.count("<circle") == 3
    assert "Table of TS scores" in page


def test_worse_by_the_mcid_needs_attention(client_for, therapist, patient, instrument):
    assignment = MeasureAssignmentFactory(patient=patient, instrument=instrument)
    MeasureResponseFactory(
        assignment=assignment, score=2, answered_on=TODAY - datetime.timedelta(days=7)
    )
    MeasureResponseFactory(assignment=assignment, score=8, answered_on=TODAY)

    page = client_for(therapist).get(f"/patients/{patient.pk}/").content.decode()
    assert "needs attention" in page


def test_patient_page_stays_bounded(
    client_for, therapist, patient, instrument, django_assert_max_num_queries
):
    client = client_for(therapist)
    client.get(f"/patients/{patient.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as empty:
        client.get(f"/patients/{patient.pk}/")
    for slug in ("a", "b", "c"):
        assignment = MeasureAssignmentFactory(
            patient=patient, instrument=InstrumentFactory(clinic=patient.clinic, slug=slug)
        )
        for n in range(6):
            MeasureResponseFactory(
                assignment=assignment, answered_on=TODAY - datetime.timedelta(days=n)
            )
    # One more than without measures (their answers), whatever their number.
    with django_assert_max_num_queries(len(empty.captured_queries) + 1):
        assert client.get(f"/patients/{patient.pk}/").status_code == 200


def test_list_of_measures_shows_library_and_own_only(
    client_for, therapist, instrument, other_clinic
):
    InstrumentFactory(clinic=None, slug="shared-one")
    theirs = InstrumentFactory(clinic=other_clinic, slug="theirs")
    page = client_for(therapist).get("/measures/").content.decode()
    assert "your clinic" in page and "shared library" in page
    assert f"instrument-{theirs.pk}" not in page
    assert "Download all results" not in page  # therapists do not export


def test_csv_export_for_admins_is_audited(
    client_for, clinic_admin, patient, instrument, other_clinic
):
    MeasureResponseFactory(
        assignment=MeasureAssignmentFactory(patient=patient, instrument=instrument), score=4.5
    )
    outsider = PatientWithAccountFactory(clinic=other_clinic, first_name="=cmd")
    MeasureResponseFactory(assignment=MeasureAssignmentFactory(patient=outsider))

    response = client_for(clinic_admin).get("/measures/export.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "patient_id,patient,measure,version,answered_on,score"
    assert len(lines) == 2 and lines[1].endswith(",TS,1," + TODAY.isoformat() + ",4.5")
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.clinic) == (
        "export",
        clinic_admin,
        clinic_admin.clinic,
    )


def test_csv_export_neutralises_formulas(client_for, clinic_admin, clinic):
    patient = PatientWithAccountFactory(clinic=clinic, first_name="=SUM(A1)")
    MeasureResponseFactory(assignment=MeasureAssignmentFactory(patient=patient))
    body = b"".join(client_for(clinic_admin).get("/measures/export.csv").streaming_content)
    assert b",'=SUM(A1)" in body


def test_csv_export_is_for_admins_only(client_for, therapist, patient):
    assert client_for(therapist).get("/measures/export.csv").status_code == 403
    assert client_for(patient.user).get("/measures/export.csv").status_code == 403
    assert not AuditEvent.objects.exists()
