"""The oversight API: /api/v1/dashboard/, "review" on patients, adherence and flags on the
patient list, readiness on program items."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import AttentionReview, Difficulty, ProgramItem
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    series_of,
)


@pytest.fixture
def sore(clinic, therapist, refresh_statuses):
    """A patient of theo's whose pain passed the limit yesterday (status stored)."""
    patient = PatientWithAccountFactory(clinic=clinic, primary_therapist=therapist)
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, position=1)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=30))
    ExerciseLogFactory(program_item=item, performed_on=clinic.today() - timedelta(days=1), pain=8)
    refresh_statuses()
    return patient


def test_the_dashboard_lists_rows_with_reasons(api_for, therapist, sore):
    response = api_for(therapist).get("/api/v1/dashboard/")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["patient"]["id"] == sore.pk
    reason = row["reasons"][0]
    assert reason["kind"] == "pain_during" and "Pain 8/10" in reason["evidence"]
    assert reason["program"] == sore.programs.get().pk
    assert row["hidden"] == 0


def test_the_dashboard_scope_is_checked(api_for, therapist):
    response = api_for(therapist).get("/api/v1/dashboard/", {"scope": "everyone"})

    assert response.status_code == 400
    assert "scope" in response.json()


def test_the_dashboard_is_mine_unless_asked(api_for, clinic_admin, sore):
    client = api_for(clinic_admin)

    assert client.get("/api/v1/dashboard/").json()["results"] == []
    assert len(client.get("/api/v1/dashboard/", {"scope": "all"}).json()["results"]) == 1


def test_another_clinic_sees_nothing(api_for, other_clinic_therapist, sore):
    response = api_for(other_clinic_therapist).get("/api/v1/dashboard/", {"scope": "all"})

    assert response.json()["results"] == []
    url = f"/api/v1/patients/{sore.pk}/review/"
    assert api_for(other_clinic_therapist).post(url, {"kind": "morning"}).status_code == 404


def test_review_hides_the_reason_and_records_who(api_for, therapist, sore):
    client = api_for(therapist)

    response = client.post(f"/api/v1/patients/{sore.pk}/review/", {"kind": "pain_during"})

    assert response.status_code == 201
    assert response.json()["kind"] == "pain_during"
    assert response.json()["reviewed_by"] == therapist.pk
    rows = client.get("/api/v1/dashboard/").json()["results"]
    assert all(r["kind"] != "pain_during" for row in rows for r in row["reasons"])
    assert AttentionReview.objects.get().reviewed_by == therapist


@pytest.mark.parametrize("body", [{}, {"kind": "bored"}, {"kind": ""}, {"kind": ["x"]}])
def test_review_refuses_bad_input_with_a_field_error(api_for, therapist, sore, body):
    response = api_for(therapist).post(f"/api/v1/patients/{sore.pk}/review/", body, format="json")

    assert response.status_code == 400
    assert "kind" in response.json()
    assert not AttentionReview.objects.exists()


def test_the_patient_list_carries_adherence_and_flags(api_for, therapist, sore):
    (patient,) = api_for(therapist).get("/api/v1/patients/").json()["results"]

    assert [figure["days"] for figure in patient["adherence"]] == [7, 30]
    assert patient["flags"][0]["kind"] == "pain_during"


def test_a_patient_reads_with_adherence_and_flags(api_for, therapist, sore):
    patient = api_for(therapist).get(f"/api/v1/patients/{sore.pk}/").json()

    assert patient["flags"][0]["kind"] == "pain_during"


def test_items_carry_their_readiness(api_for, therapist, clinic, patient):
    easy, hard = LibraryExerciseFactory(name="Bridge"), LibraryExerciseFactory(name="Hard")
    series_of(easy, hard)
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, exercise=easy, position=1, sets=3, reps=15)
    for day in range(3):
        ExerciseLogFactory(
            program_item=item,
            performed_on=clinic.today() - timedelta(days=2 * day),
            sets_done=3,
            reps_done=15,
            pain=1,
            difficulty=Difficulty.EASY,
        )

    (data,) = api_for(therapist).get(f"/api/v1/programs/{program.pk}/items/").json()["results"]

    assert data["readiness"] == {
        "status": "ready",
        "evidence": "Last 3 sessions: 3 × 15, pain at most 1, felt easy.",
    }
