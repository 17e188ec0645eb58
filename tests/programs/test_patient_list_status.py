"""The patient list's adherence, last activity and flags: right per patient, sortable, and in
the same number of queries for a page of 3 or 25 patients with programs and logs."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.attention import patient_statuses
from programs.models import ProgramItem
from tests.factories import (
    ExerciseLogFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
)


def _patient_with_logs(clinic, therapist, *, done_days, pain=2, last_name=None):
    patient = PatientWithAccountFactory(
        clinic=clinic,
        primary_therapist=therapist,
        **({"last_name": last_name} if last_name else {}),
    )
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, position=1)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=60))
    for offset in done_days:
        ExerciseLogFactory(
            program_item=item, performed_on=clinic.today() - timedelta(days=offset), pain=pain
        )
    return patient


def test_statuses_give_adherence_over_7_and_30_days_and_the_flags(clinic, therapist):
    steady = _patient_with_logs(clinic, therapist, done_days=range(30))
    sore = _patient_with_logs(clinic, therapist, done_days=range(0, 30, 3), pain=8)

    statuses = patient_statuses([steady, sore], clinic=clinic)

    assert [(f.days, f.percent) for f in statuses[steady.pk].adherence] == [(7, 100), (30, 100)]
    assert statuses[steady.pk].reasons == []
    assert [(f.days, f.percent) for f in statuses[sore.pk].adherence] == [(7, 43), (30, 33)]
    assert [r.kind for r in statuses[sore.pk].reasons][:1] == ["pain_during"]


def test_a_patient_without_a_program_has_no_figures(clinic, therapist, patient):
    assert patient_statuses([patient], clinic=clinic)[patient.pk].adherence == []


def test_the_list_shows_the_columns(client_for, therapist, clinic):
    _patient_with_logs(clinic, therapist, done_days=range(0, 30, 3), pain=8)

    page = client_for(therapist).get(reverse("patient_list")).content.decode()

    assert "Adherence, 7 days" in page and "43%" in page and "33%" in page
    assert "Pain above the limit" in page


def test_the_list_sorts_by_name_and_by_last_activity(client_for, therapist, clinic):
    _patient_with_logs(clinic, therapist, done_days=[10], last_name="Abbott")
    _patient_with_logs(clinic, therapist, done_days=[1], last_name="Zimmer")
    client = client_for(therapist)

    def order(sort):
        page = client.get(reverse("patient_list"), {"sort": sort}).content.decode()
        return page.index("Abbott") < page.index("Zimmer")

    assert order("name") is True
    assert order("-name") is False
    assert order("-activity") is False
    assert order("activity") is True
    assert order("bogus") is True  # an unknown sort falls back to the name


def test_the_list_runs_the_same_queries_for_3_or_25_patients(client_for, therapist, clinic):
    client = client_for(therapist)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("patient_list")).status_code == 200
        return len(queries)

    for _ in range(3):
        _patient_with_logs(clinic, therapist, done_days=range(0, 20, 2), pain=7)
    few = count()
    for _ in range(22):
        _patient_with_logs(clinic, therapist, done_days=range(0, 20, 2), pain=7)

    assert count() == few <= 16
