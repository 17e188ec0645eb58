"""The stored patient status (programs/status.py): the services keep it up to date, the
periodic task refreshes what time alone made old, and the navigation counts from it."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.services import exercise_log_record, exercise_log_undo, pain_check_record
from programs import status
from programs.choices import AttentionKind, ProgramStatus
from programs.models import PatientStatus, ProgramItem
from programs.services import attention_review_record, program_status_change
from programs.tasks import refresh_patient_statuses
from tests.factories import (
    ExerciseLogFactory,
    InvitationFactory,
    PatientFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
)


def _stored(patient) -> PatientStatus:
    return PatientStatus.objects.get(patient=patient)


def _kinds(patient) -> list[str]:
    return [reason.kind for reason in _stored(patient).reasons]


@pytest.fixture
def running(clinic, therapist, patient):
    """An active program started 30 days ago, with one exercise."""
    program = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        start_date=clinic.today() - timedelta(days=30),
    )
    item = ProgramItemFactory(program=program, position=1)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=30))
    return item


def test_a_check_off_updates_the_patients_status(clinic, patient, running):
    status.refresh([patient.pk], clinic=clinic)
    assert _stored(patient).last_activity is None
    assert AttentionKind.NO_CHECK_OFF in _kinds(patient)

    exercise_log_record(patient=patient, item=running, performed_on=clinic.today(), pain=8)

    stored = _stored(patient)
    assert stored.last_activity == clinic.today()
    assert stored.completed_7 == 1
    assert AttentionKind.NO_CHECK_OFF not in _kinds(patient)
    assert _kinds(patient)[0] == AttentionKind.PAIN_DURING


def test_undoing_a_check_off_updates_it_back(clinic, patient, running):
    exercise_log_record(patient=patient, item=running, performed_on=clinic.today())
    assert _stored(patient).completed_7 == 1

    exercise_log_undo(patient=patient, item=running, performed_on=clinic.today())

    assert _stored(patient).completed_7 == 0


def test_a_worse_morning_raises_its_reason_at_once(clinic, patient, running):
    pain_check_record(patient=patient, pain_now=3, compared_to_before="worse")

    assert AttentionKind.MORNING in _kinds(patient)


def test_a_review_hides_the_reason_and_new_data_raises_it_again(
    clinic, therapist, patient, running
):
    yesterday = clinic.today() - timedelta(days=1)
    exercise_log_record(patient=patient, item=running, performed_on=yesterday, pain=7)

    attention_review_record(patient=patient, kind=AttentionKind.PAIN_DURING, reviewed_by=therapist)
    assert AttentionKind.PAIN_DURING not in _kinds(patient)
    assert _stored(patient).hidden_count == 1

    exercise_log_record(patient=patient, item=running, performed_on=clinic.today(), pain=8)
    assert AttentionKind.PAIN_DURING in _kinds(patient)


def test_pausing_the_program_clears_its_reasons(clinic, patient, running):
    exercise_log_record(patient=patient, item=running, performed_on=clinic.today(), pain=9)
    assert _stored(patient).top_rank is not None

    program_status_change(program=running.program, status=ProgramStatus.PAUSED)

    stored = _stored(patient)
    assert stored.top_rank is None and stored.reasons == [] and stored.percent_7 is None


def test_the_periodic_task_refreshes_rows_a_new_day_made_old(clinic, patient, running):
    exercise_log_record(patient=patient, item=running, performed_on=clinic.today())
    assert AttentionKind.NO_CHECK_OFF not in _kinds(patient)
    stored = _stored(patient)

    # Not old yet: nothing to do.
    assert status.refresh_due_statuses(now=stored.stale_after - timedelta(seconds=1)) == 0
    # Five days later, nobody checked off: the task raises "no check-off" on its own.
    later = stored.stale_after + timedelta(days=4, hours=1)
    assert status.refresh_due_statuses(now=later) == 1

    assert AttentionKind.NO_CHECK_OFF in _kinds(patient)
    assert _stored(patient).stale_after > later


def test_the_periodic_task_fills_in_patients_without_a_row(clinic, therapist, patient, running):
    newcomer = PatientFactory(clinic=clinic, primary_therapist=therapist)

    assert refresh_patient_statuses.call_local() == 2  # the huey task, run in-process

    assert PatientStatus.objects.filter(patient__in=[patient, newcomer]).count() == 2
    assert status.refresh_due_statuses() == 0


def test_the_periodic_task_takes_at_most_its_limit(clinic, therapist):
    for _ in range(3):
        PatientFactory(clinic=clinic, primary_therapist=therapist)

    assert status.refresh_due_statuses(limit=2) == 2
    assert status.refresh_due_statuses(limit=2) == 1
    assert PatientStatus.objects.count() == 3


def test_an_invitation_turning_three_days_old_raises_its_reason(clinic, therapist):
    newcomer = PatientFactory(clinic=clinic, primary_therapist=therapist)
    invited = timezone.now() - timedelta(days=1)
    InvitationFactory(
        clinic=clinic, patient=newcomer, role="patient", email=newcomer.email, created_at=invited
    )
    status.refresh([newcomer.pk], clinic=clinic)
    turns_old = invited + timedelta(days=3)
    assert _stored(newcomer).stale_after == min(turns_old, _stored(newcomer).stale_after)
    assert AttentionKind.NOT_SIGNED_IN not in _kinds(newcomer)

    status.refresh_due_statuses(now=turns_old + timedelta(minutes=1))

    assert AttentionKind.NOT_SIGNED_IN in _kinds(newcomer)


def test_a_new_threshold_in_the_clinic_settings_reaches_the_rows(
    client_for, clinic_admin, clinic, patient, running
):
    for offset in range(3):  # 3 of 7 days: 43%
        ExerciseLogFactory(program_item=running, performed_on=clinic.today() - timedelta(offset))
    status.refresh([patient.pk], clinic=clinic)
    assert AttentionKind.LOW_ADHERENCE in _kinds(patient)

    client_for(clinic_admin).post(
        reverse("clinic_settings"),
        {"name": clinic.name, "timezone": clinic.timezone, "low_adherence_below": "40"},
    )
    assert status.refresh_due_statuses() == 1

    assert AttentionKind.LOW_ADHERENCE not in _kinds(patient)


def test_the_command_computes_every_clinics_statuses(clinic, other_clinic, patient):
    other = PatientFactory(clinic=other_clinic)

    out = io.StringIO()
    call_command("refresh_statuses", stdout=out)

    assert f"{clinic.name}: 1 patient statuses computed." in out.getvalue()

    assert {row.patient_id: row.clinic_id for row in PatientStatus.objects.all()} == {
        patient.pk: clinic.pk,
        other.pk: other_clinic.pk,
    }


def test_the_navigation_counts_my_patients_needing_attention(
    client_for, clinic, therapist, patient, running, other_clinic, other_clinic_therapist
):
    exercise_log_record(patient=patient, item=running, performed_on=clinic.today(), pain=9)
    colleague_patient = PatientWithAccountFactory(clinic=clinic)
    status.refresh([colleague_patient.pk], clinic=clinic)
    outsider = PatientWithAccountFactory(clinic=other_clinic, primary_therapist=None)
    status.refresh([outsider.pk], clinic=other_clinic)

    page = client_for(therapist).get(reverse("patient_list")).content.decode()
    other_page = client_for(other_clinic_therapist).get(reverse("patient_list")).content.decode()

    assert '<span class="badge badge--warn">1<span class="visually-hidden"> patient</span>' in page
    assert 'visually-hidden"> patient' not in other_page
