"""API fixtures: token clients for the named actors and a small clinic world to call.

Actors (tests/conftest.py): alice (clinic A admin), theo (clinic A therapist), paula (clinic A
patient), bob (clinic B therapist, the outsider); here also pia, another patient of clinic A.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from exercises import services as catalog_services
from exercises.models import DisclaimerKind
from portal import services as portal_services
from programs.models import ProgramStatus, ProgramTemplate, ProgramTemplateItem
from tests.factories import (
    ExerciseLogFactory,
    InstrumentFactory,
    LibraryExerciseFactory,
    MeasureAssignmentFactory,
    PatientFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    series_of,
)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_patient(clinic, therapist):
    """pia: another patient of clinic A, with an account."""
    return PatientWithAccountFactory(
        clinic=clinic, primary_therapist=therapist, email="pia@example.org", first_name="Pia"
    )


@pytest.fixture
def world(
    clinic, other_clinic, clinic_admin, therapist, patient, other_patient, other_clinic_therapist
):
    """Clinic A's catalog, patients and programs, and one of each in clinic B."""
    bridge = LibraryExerciseFactory(name="Bridge", slug="bridge")
    single = LibraryExerciseFactory(name="Single-leg bridge", slug="single-leg-bridge")
    ball = LibraryExerciseFactory(name="Swiss ball bridge", slug="swiss-ball-bridge")
    library_series = series_of(bridge, single, ball)
    band = catalog_services.equipment_create(clinic=clinic, name="Clinic A band")
    clinic_exercise = catalog_services.exercise_create(
        clinic=clinic,
        name="Clinic A heel slide",
        summary="Slide the heel.",
        instructions=["Lie down.", "Slide the heel."],
        position="supine",
        starting_position="On your back.",
        equipment=[band],
    )
    clinic_series = catalog_services.series_create(clinic=clinic, name="Clinic A slides")
    catalog_services.series_step_add(series=clinic_series, exercise=clinic_exercise)
    disclaimer = catalog_services.disclaimer_publish(
        clinic=clinic, kind=DisclaimerKind.AFFILIATE, title="Links", body="We may earn."
    )
    medical = catalog_services.disclaimer_publish(
        clinic=clinic, kind=DisclaimerKind.MEDICAL, title="Read first", body="Education only."
    )
    for someone in (patient, other_patient):
        portal_services.disclaimer_accept(patient=someone, disclaimer_id=medical.pk)
    program = ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.ACTIVE
    )
    item = ProgramItemFactory(program=program, exercise=bridge, position=1)
    middle_item = ProgramItemFactory(program=program, exercise=single, position=2)
    log = ExerciseLogFactory(program_item=item, performed_on=clinic.today())
    draft = ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.DRAFT
    )
    ProgramItemFactory(program=draft, exercise=single, position=1)
    template = ProgramTemplate.objects.create(clinic=clinic, name="Knee phase 1", slug="knee-1")
    ProgramTemplateItem.objects.create(
        clinic=template.clinic, template=template, exercise=bridge, position=1, sets=2, reps=10
    )
    invitee = PatientFactory(clinic=clinic, primary_therapist=therapist)

    other_exercise = catalog_services.exercise_create(
        clinic=other_clinic,
        name="Clinic B wall sit",
        summary="Sit against a wall.",
        instructions=["Lean on the wall."],
        position="standing",
        starting_position="Back to a wall.",
    )
    other_program = ProgramFactory(
        clinic=other_clinic, therapist=other_clinic_therapist, status=ProgramStatus.ACTIVE
    )
    other_item = ProgramItemFactory(program=other_program, exercise=bridge, position=1)
    instrument = InstrumentFactory(clinic=clinic, slug="world-scale")
    return SimpleNamespace(
        instrument=instrument,
        spare_instrument=InstrumentFactory(clinic=clinic, slug="spare-scale"),
        assignment=MeasureAssignmentFactory(patient=patient, instrument=instrument),
        bridge=bridge,
        single=single,
        ball=ball,
        library_series=library_series,
        band=band,
        clinic_exercise=clinic_exercise,
        clinic_series=clinic_series,
        disclaimer=disclaimer,
        medical=medical,
        program=program,
        item=item,
        middle_item=middle_item,
        log=log,
        draft=draft,
        template=template,
        invitee=invitee,
        other_exercise=other_exercise,
        other_program=other_program,
        other_item=other_item,
    )
