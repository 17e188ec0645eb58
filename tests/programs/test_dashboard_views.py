"""The dashboard page and "Mark reviewed": permissions, bad input, empty states, query bounds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import status
from programs.choices import AttentionKind
from programs.models import AttentionReview, ProgramItem
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PainCheckFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    series_of,
)


def _patient_in_pain(clinic, therapist, *, pain=8):
    patient = PatientWithAccountFactory(clinic=clinic, primary_therapist=therapist)
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, position=1)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=30))
    ExerciseLogFactory(program_item=item, performed_on=clinic.today(), pain=pain)
    PainCheckFactory(program=program, checked_on=clinic.today(), compared_to_before="worse")
    status.refresh([patient.pk], clinic=clinic)  # as the services and the periodic task do
    return patient


def test_the_dashboard_lists_my_patients_with_reasons(client_for, therapist, clinic):
    patient = _patient_in_pain(clinic, therapist)

    response = client_for(therapist).get(reverse("dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert patient.full_name in page
    assert "Pain 8/10 on" in page
    assert "Mark reviewed" in page
    assert page.count("<h1") == 1


def test_the_empty_dashboard_says_so_and_offers_the_clinic(client_for, therapist):
    page = client_for(therapist).get(reverse("dashboard")).content.decode()

    assert "Nobody needs attention right now." in page
    assert "?scope=all" in page


def test_admins_see_the_whole_clinic_on_request(client_for, clinic_admin, therapist, clinic):
    patient = _patient_in_pain(clinic, therapist)
    client = client_for(clinic_admin)

    assert patient.full_name not in client.get(reverse("dashboard")).content.decode()
    assert patient.full_name in client.get(reverse("dashboard") + "?scope=all").content.decode()


def test_another_clinic_stays_out_of_the_dashboard(
    client_for, therapist, other_clinic, other_clinic_therapist
):
    outsider = _patient_in_pain(other_clinic, other_clinic_therapist)

    page = client_for(therapist).get(reverse("dashboard") + "?scope=all").content.decode()

    assert outsider.full_name not in page


@pytest.mark.parametrize("actor", ["patient", None])
def test_patients_and_visitors_cannot_open_the_dashboard(client, client_for, patient, actor):
    if actor:
        response = client_for(patient.user).get(reverse("dashboard"))
        assert response.status_code == 403
    else:
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302 and reverse("login") in response.url


def test_mark_reviewed_hides_the_reason_and_records_who(client_for, therapist, clinic):
    patient = _patient_in_pain(clinic, therapist)
    client = client_for(therapist)

    response = client.post(
        reverse("attention_review", args=[patient.pk]), {"kind": AttentionKind.PAIN_DURING}
    )

    assert response.status_code == 302 and response.url == reverse("dashboard")
    review = AttentionReview.objects.get()
    assert (review.patient, review.reviewed_by, review.kind) == (
        patient,
        therapist,
        AttentionKind.PAIN_DURING,
    )
    page = client.get(reverse("dashboard")).content.decode()
    assert "Pain 8/10 on" not in page
    assert "1 reviewed reason hidden" in page


@pytest.mark.parametrize("kind", ["", "bored", "x" * 500])
def test_mark_reviewed_refuses_an_unknown_reason(client_for, therapist, clinic, kind):
    patient = _patient_in_pain(clinic, therapist)

    response = client_for(therapist).post(
        reverse("attention_review", args=[patient.pk]), {"kind": kind}
    )

    assert response.status_code == 400
    assert not AttentionReview.objects.exists()


def test_mark_reviewed_goes_back_only_to_this_site(client_for, therapist, clinic):
    patient = _patient_in_pain(clinic, therapist)
    url = reverse("attention_review", args=[patient.pk])
    client = client_for(therapist)

    back = client.post(url, {"kind": "morning", "next": "/dashboard/?scope=all&page=1"})
    away = client.post(url, {"kind": "morning", "next": "https://evil.example/"})

    assert back.url == "/dashboard/?scope=all&page=1"
    assert away.url == reverse("dashboard")


def test_mark_reviewed_needs_post(client_for, therapist, patient):
    response = client_for(therapist).get(reverse("attention_review", args=[patient.pk]))

    assert response.status_code == 405


DASHBOARD_MAX_QUERIES = 12


def _dashboard_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_runs_the_same_queries_for_3_or_15_patients(client_for, therapist, clinic):
    client = client_for(therapist)
    url = reverse("dashboard")
    for _ in range(3):
        _patient_in_pain(clinic, therapist)
    few = _dashboard_queries(client, url)
    for _ in range(12):
        _patient_in_pain(clinic, therapist)
    many = _dashboard_queries(client, url)

    assert few == many
    assert many <= DASHBOARD_MAX_QUERIES


def test_the_dashboard_query_count_does_not_grow_with_series(client_for, therapist, clinic):
    patient = _patient_in_pain(clinic, therapist)
    program = patient.programs.get()
    client = client_for(therapist)
    before = _dashboard_queries(client, reverse("dashboard"))
    for position in range(2, 6):
        item = ProgramItemFactory(program=program, position=position)
        series_of(item.exercise, LibraryExerciseFactory())

    assert _dashboard_queries(client, reverse("dashboard")) == before


def test_admins_set_the_adherence_threshold_in_clinic_settings(client_for, clinic_admin, clinic):
    response = client_for(clinic_admin).post(
        reverse("clinic_settings"),
        {"name": clinic.name, "timezone": clinic.timezone, "low_adherence_below": "70"},
    )

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.low_adherence_below == 70


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "greater than or equal to 1"), ("101", "less than or equal to 100"), ("x", "whole")],
)
def test_a_bad_threshold_is_a_form_error(client_for, clinic_admin, clinic, value, message):
    response = client_for(clinic_admin).post(
        reverse("clinic_settings"),
        {"name": clinic.name, "timezone": clinic.timezone, "low_adherence_below": value},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.low_adherence_below == 50


def test_leaving_the_threshold_out_keeps_it(client_for, clinic_admin, clinic):
    client_for(clinic_admin).post(
        reverse("clinic_settings"), {"name": "Renamed", "timezone": clinic.timezone}
    )

    clinic.refresh_from_db()
    assert (clinic.name, clinic.low_adherence_below) == ("Renamed", 50)
