"""The data migration that gave every clinic-owned row its own clinic column fills it from the
row's parent, for rows that existed before."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("programs", "0002_portal_acceptance_pain_check"),
    ("clinic", "0003_clinic_slug_any_script_patient_email_message"),
    # The catalog as it was then: later exercise columns (e.g. 0003's poses) are not there yet.
    ("exercises", "0002_unicode_slugs"),
]
AFTER = [("programs", "0003_clinic_column_on_every_row")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the database at the newest migrations for the tests that follow."""
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_rows_take_their_parents_clinic(back_to_latest):
    old = _migrate(BEFORE)
    Clinic = old.get_model("clinic", "Clinic")
    User = old.get_model("clinic", "User")
    Patient = old.get_model("clinic", "Patient")
    Exercise = old.get_model("exercises", "Exercise")
    Disclaimer = old.get_model("exercises", "Disclaimer")
    Program = old.get_model("programs", "Program")
    clinics = [Clinic.objects.create(name=f"C{n}", slug=f"c{n}") for n in range(2)]
    exercise = Exercise.objects.create(
        name="Bridge",
        slug="bridge",
        summary="s",
        instructions=["x"],
        position="supine",
        starting_position="s",
    )
    disclaimer = Disclaimer.objects.create(kind="medical", title="t", body="b", version=1)
    created = []
    for n, clinic in enumerate(clinics):
        therapist = User.objects.create(email=f"t{n}@example.org", clinic=clinic, role="therapist")
        patient = Patient.objects.create(
            clinic=clinic, first_name="P", last_name=str(n), email=f"p{n}@example.org"
        )
        program = Program.objects.create(
            clinic=clinic,
            patient=patient,
            therapist=therapist,
            title="P",
            start_date=datetime.date(2026, 1, 1),
        )
        item = program.items.create(exercise=exercise, position=1, sets=2, reps=10, side="both")
        item.logs.create(patient=patient, performed_on=datetime.date(2026, 1, 2))
        patient.pain_checks.create(
            program=program,
            checked_on=datetime.date(2026, 1, 3),
            pain_now=1,
            compared_to_before="same",
        )
        patient.disclaimer_acceptances.create(disclaimer=disclaimer)
        template = clinic.program_templates.create(name="T", slug=f"t{n}")
        template.items.create(exercise=exercise, position=1, sets=2, reps=10, side="both")
        created.append(clinic.pk)

    new = _migrate(AFTER)

    for model_name in (
        "ProgramItem",
        "ExerciseLog",
        "PainCheck",
        "DisclaimerAcceptance",
        "ProgramTemplateItem",
    ):
        rows = new.get_model("programs", model_name).objects.order_by("pk")
        assert [row.clinic_id for row in rows] == created, model_name
