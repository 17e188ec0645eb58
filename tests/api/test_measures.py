"""/api/v1/measures/, /api/v1/patients/<id>/measures/ and /api/v1/me/measures/: the same
rules as the web, field errors for bad input, and nothing of another clinic or patient."""

import datetime
from types import SimpleNamespace

import pytest

from programs.measures.models import MeasureAssignment, MeasureResponse
from tests.factories import (
    InstrumentFactory,
    MeasureAssignmentFactory,
    MeasureResponseFactory,
)


@pytest.fixture
def world(instrument, spare_instrument, assignment, accepted, other_patient_accepted):
    """paula (past the disclaimer gate) is asked `instrument`; `spare_instrument` is free."""
    return SimpleNamespace(
        instrument=instrument, spare_instrument=spare_instrument, assignment=assignment
    )


def test_instruments_are_the_library_and_the_clinics_own(world, api_for, therapist, other_clinic):
    InstrumentFactory(clinic=None, slug="shared")
    InstrumentFactory(clinic=other_clinic, slug="theirs")
    old = InstrumentFactory(clinic=world.instrument.clinic, slug="world-scale", version=0)
    old.is_current = False
    old.save()

    body = api_for(therapist).get("/api/v1/measures/").json()
    slugs = sorted(row["slug"] for row in body["results"])

    assert slugs == ["shared", "spare-scale", "world-scale"]
    assert api_for(therapist).get(f"/api/v1/measures/{old.pk}/").status_code == 200


def test_patients_cannot_list_instruments(world, api_for, patient):
    assert api_for(patient.user).get("/api/v1/measures/").status_code == 403


def test_assign_list_and_stop(world, api_for, therapist, patient):
    client = api_for(therapist)
    url = f"/api/v1/patients/{patient.pk}/measures/"

    created = client.post(
        url,
        {"instrument": world.spare_instrument.pk, "starts_on": "2026-03-02", "every_weeks": 2},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["next_due_on"] == "2026-03-02"
    assert created.json()["instrument"]["slug"] == "spare-scale"

    listed = client.get(url).json()
    assert {row["instrument"]["slug"] for row in listed["results"]} == {
        "spare-scale",
        "world-scale",
    }

    stopped = client.post(f"{url}{created.json()['id']}/stop/")
    assert stopped.status_code == 200 and stopped.json()["stopped_at"]
    again = client.post(f"{url}{created.json()['id']}/stop/")
    assert again.status_code == 400 and "already stopped" in str(again.json())


def test_results_carry_change_and_mcid_status(world, api_for, therapist, patient):
    today = datetime.date.today()
    for n, score in enumerate([10, 6]):
        MeasureResponseFactory(
            assignment=world.assignment,
            score=score,
            answered_on=today - datetime.timedelta(days=10 - n),
        )
    body = api_for(therapist).get(f"/api/v1/patients/{patient.pk}/measures/{world.assignment.pk}/")
    data = body.json()

    assert [r["change"] for r in data["results"]] == [0.0, -4.0]
    assert data["summary"]["status"] == "improved"  # lower is better, MCID 3


@pytest.mark.parametrize(
    "body, field",
    [
        ({"instrument": None, "starts_on": "2026-03-02"}, "instrument"),
        ({"instrument": 999999, "starts_on": "2026-03-02"}, "instrument"),
        ({"instrument": "x", "starts_on": "2026-03-02"}, "instrument"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"starts_on": "2026-03-02", "every_weeks": 0}, "every_weeks"),
        ({"starts_on": "2026-03-02", "every_weeks": 53}, "every_weeks"),
    ],
)
def test_bad_assignments_get_field_errors(world, api_for, therapist, patient, body, field):
    body = {"instrument": world.spare_instrument.pk, **body}
    response = api_for(therapist).post(
        f"/api/v1/patients/{patient.pk}/measures/", body, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert MeasureAssignment.objects.count() == 1  # the world's


def test_another_clinics_instrument_is_a_field_error(
    world, api_for, therapist, patient, other_clinic
):
    theirs = InstrumentFactory(clinic=other_clinic)
    response = api_for(therapist).post(
        f"/api/v1/patients/{patient.pk}/measures/",
        {"instrument": theirs.pk, "starts_on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 400 and "instrument" in response.json()


def test_another_clinics_patient_is_404(world, api_for, other_clinic_therapist, patient):
    client = api_for(other_clinic_therapist)
    assert client.get(f"/api/v1/patients/{patient.pk}/measures/").status_code == 404
    assert (
        client.post(
            f"/api/v1/patients/{patient.pk}/measures/",
            {"instrument": world.spare_instrument.pk, "starts_on": "2026-03-02"},
            format="json",
        ).status_code
        == 404
    )


def test_an_assignment_under_another_patient_is_404(world, api_for, therapist, other_patient):
    url = f"/api/v1/patients/{other_patient.pk}/measures/{world.assignment.pk}/"
    assert api_for(therapist).get(url).status_code == 404


def test_my_measures_show_what_is_due_and_answering_scores(world, api_for, patient):
    client = api_for(patient.user)
    mine = client.get("/api/v1/me/measures/").json()["results"]
    assert [(row["id"], row["due"]) for row in mine] == [(world.assignment.pk, True)]
    assert mine[0]["instrument"]["definition"]["items"][0]["id"] == "q1"

    sent = client.post(
        f"/api/v1/me/measures/{world.assignment.pk}/answer/",
        {"version": 1, "answers": {"q1": 1, "q2": 2, "q3": None}},
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    assert sent.json()["score"] == 4.5  # prorated
    assert client.get("/api/v1/me/measures/").json()["results"][0]["due"] is False


@pytest.mark.parametrize(
    "body, field",
    [
        ({"version": 1, "answers": {"q1": 9}}, "answers"),
        ({"version": 1, "answers": {"zz": 1}}, "answers"),
        ({"version": 1, "answers": {}}, "answers"),
        ({"version": 1, "answers": {"q1": "many"}}, "answers"),
        ({"version": 2, "answers": {"q1": 1}}, "version"),
        ({"answers": {"q1": 1}}, "version"),
        ({"version": 1, "answers": {"q1": 1}, "activities": ["a", "b"]}, "activities"),
        ({"version": 1, "answers": "q1=1"}, "answers"),
    ],
)
def test_invalid_answers_get_field_errors_and_save_nothing(world, api_for, patient, body, field):
    response = api_for(patient.user).post(
        f"/api/v1/me/measures/{world.assignment.pk}/answer/", body, format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not MeasureResponse.objects.exists()


def test_not_due_is_refused(world, api_for, patient):
    later = MeasureAssignmentFactory(
        patient=patient,
        instrument=world.spare_instrument,
        next_due_on=datetime.date.today() + datetime.timedelta(days=5),
    )
    response = api_for(patient.user).post(
        f"/api/v1/me/measures/{later.pk}/answer/",
        {"version": 1, "answers": {"q1": 1, "q2": 1}},
        format="json",
    )
    assert response.status_code == 400 and "not yet" in str(response.json())


def test_another_patients_questionnaire_is_404(world, api_for, other_patient):
    client = api_for(other_patient.user)
    assert client.get(f"/api/v1/me/measures/{world.assignment.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/me/measures/{world.assignment.pk}/answer/",
        {"version": 1, "answers": {"q1": 1}},
        format="json",
    )
    assert response.status_code == 404


def test_staff_cannot_answer_for_the_patient(world, api_for, therapist):
    assert api_for(therapist).get("/api/v1/me/measures/").status_code == 403
