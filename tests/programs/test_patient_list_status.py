"""The patient list's adherence, last activity and flags: right per patient, stored and kept
up to date (programs/status.py), sortable, and in the same number of queries for a page of 3
or 25 patients with programs and logs."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.attention import compute_statuses
from programs.models import PatientStatus, ProgramItem
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

    statuses = compute_statuses([steady.pk, sore.pk], clinic=clinic)

    assert [(f.days, f.percent) for f in statuses[steady.pk].adherence] == [(7, 100), (30, 100)]
    assert statuses[steady.pk].reasons == []
    assert statuses[steady.pk].last_activity == clinic.today()
    assert [(f.days, f.percent) for f in statuses[sore.pk].adherence] == [(7, 43), (30, 33)]
    assert [r.kind for r in statuses[sore.pk].reasons][:1] == ["pain_during"]


def test_a_patient_without_a_program_has_no_figures(clinic, therapist, patient):
    computed = compute_statuses([patient.pk], clinic=clinic)[patient.pk]

    assert computed.adherence == [] and computed.last_activity is None


def test_the_stored_status_holds_the_computed_figures(clinic, therapist, refresh_statuses):
    sore = _patient_with_logs(clinic, therapist, done_days=range(0, 30, 3), pain=8)

    refresh_statuses()

    stored = PatientStatus.objects.get(patient=sore)
    assert (stored.percent_7, stored.percent_30) == (43, 33)
    assert (stored.completed_7, stored.scheduled_7) == (3, 7)
    assert stored.reasons[0].kind == "pain_during" and stored.top_rank == 0
    assert stored.reason_count == len(stored.reasons) == len(stored.reason_data)
    assert stored.as_of == clinic.today()
    # Old once the clinic's next day starts, not before.
    tomorrow = clinic.today() + timedelta(days=1)
    assert timezone.localtime(stored.stale_after, clinic.zone).date() == tomorrow


def test_the_list_shows_the_columns(client_for, therapist, clinic, refresh_statuses):
    _patient_with_logs(clinic, therapist, done_days=range(0, 30, 3), pain=8)
    refresh_statuses()

    page = client_for(therapist).get(reverse("patient_list")).content.decode()

    assert "Adherence, 7 days" in page and "43%" in page and "33%" in page
    assert "Pain above the limit" in page


def test_a_patient_without_a_stored_status_shows_dashes(client_for, therapist, clinic):
    patient = _patient_with_logs(clinic, therapist, done_days=[1])

    page = client_for(therapist).get(reverse("patient_list")).content.decode()

    assert patient.full_name in page and "%" not in page.split("<tbody>")[1]


def test_the_list_sorts_by_each_column(client_for, therapist, clinic, refresh_statuses):
    _patient_with_logs(clinic, therapist, done_days=[10], pain=8, last_name="Abbott")
    _patient_with_logs(clinic, therapist, done_days=range(0, 7), last_name="Zimmer")
    refresh_statuses()
    client = client_for(therapist)

    def abbott_first(sort):
        page = client.get(reverse("patient_list"), {"sort": sort}).content.decode()
        return page.index("Abbott") < page.index("Zimmer")

    assert abbott_first("name") is True
    assert abbott_first("-name") is False
    assert abbott_first("-activity") is False
    assert abbott_first("activity") is True
    assert abbott_first("adherence7") is True  # 0% before 100%
    assert abbott_first("-adherence7") is False
    assert abbott_first("adherence30") is True
    assert abbott_first("attention") is True  # in pain before nothing to see
    assert abbott_first("-attention") is False
    assert abbott_first("bogus") is True  # an unknown sort falls back to the name


def test_sort_links_keep_the_filters_and_say_the_order(client_for, therapist, clinic):
    _patient_with_logs(clinic, therapist, done_days=[1], last_name="Abbott")

    page = client_for(therapist).get(
        reverse("patient_list"), {"q": "abb", "mine": "1", "sort": "-adherence7"}
    )

    html = page.content.decode()
    assert 'href="?q=abb&amp;mine=1&amp;sort=adherence7"' in html
    assert 'aria-sort="descending"' in html


def test_the_list_runs_the_same_queries_for_3_or_25_patients(
    client_for, therapist, clinic, refresh_statuses
):
    client = client_for(therapist)

    def count():
        refresh_statuses()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("patient_list")).status_code == 200
        return len(queries)

    for _ in range(3):
        _patient_with_logs(clinic, therapist, done_days=range(0, 20, 2), pain=7)
    few = count()
    for _ in range(22):
        _patient_with_logs(clinic, therapist, done_days=range(0, 20, 2), pain=7)

    assert count() == few <= 12
