import pytest
from django.core.management import CommandError, call_command

from clinic.models import Clinic, Patient, Role, User
from portal.management.commands.load_demo import DEMO_PASSWORD
from programs.models import Program, ProgramStatus


def test_demo_has_one_login_per_role_and_an_active_program_and_runs_twice(db):
    call_command("load_library", verbosity=0)
    call_command("load_program_templates", verbosity=0)

    for _ in range(2):
        call_command("load_demo", stdout=None)

    clinic = Clinic.objects.get(slug="demo")
    users = User.objects.filter(clinic=clinic)
    assert sorted(users.values_list("role", flat=True)) == sorted(
        [Role.ADMIN, Role.THERAPIST, Role.PATIENT]
    )
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    patient = Patient.objects.get(clinic=clinic, email="patient@example.com")
    program = Program.objects.get(patient=patient)
    assert program.status == ProgramStatus.ACTIVE
    assert program.items.count() >= 4


def test_demo_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")

    assert not Clinic.objects.exists()


def test_demo_patients_raise_every_reason_of_the_dashboard(db):
    from programs.attention import attention_rows, dashboard_scope
    from programs.choices import AttentionKind

    call_command("load_library", verbosity=0)
    call_command("load_program_templates", verbosity=0)
    call_command("load_measures", verbosity=0)
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)  # a second run adds nobody

    therapist = User.objects.get(email="therapist@example.com")
    rows = attention_rows(dashboard_scope(therapist, everyone=False), clinic=therapist.clinic)

    raised = {reason.kind for row in rows for reason in row.reasons}
    assert raised == set(AttentionKind.values)
    assert Patient.objects.filter(clinic=therapist.clinic).count() == 9


def test_demo_patient_has_a_psfs_due_once(db):
    from programs.measures.selectors import due_for_patient

    call_command("load_measures", verbosity=0)
    for _ in range(2):
        call_command("load_demo", stdout=None)

    patient = Patient.objects.get(clinic__slug="demo", email="patient@example.com")
    due = due_for_patient(patient, patient.clinic.today())
    assert [a.instrument.slug for a in due] == ["psfs"]
