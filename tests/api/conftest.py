"""API fixtures: small pieces of clinic A (and B) that a test asks for by name.

Actors and the shared objects (tests/conftest.py): alice (`clinic_admin`), theo
(`therapist`), paula (`patient`), peter (`other_patient`), bob (`other_clinic_therapist`);
the library's `bridge_series`, `clinic_exercise`, paula's `active_program` with its `item`
(Bridge), and `accepted` (paula passed the disclaimer gate).
"""

import pytest
from django.core.cache import cache

from exercises import services as catalog_services
from exercises.models import DisclaimerKind
from programs.models import ProgramStatus
from tests.factories import (
    DisclaimerAcceptanceFactory,
    ExerciseLogFactory,
    InstrumentFactory,
    MeasureAssignmentFactory,
    PatientFactory,
    ProgramFactory,
    ProgramItemFactory,
    ProgramTemplateFactory,
    ProgramTemplateItemFactory,
)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


class Fixtures(dict):
    """Fixtures by name, each built when a test first names it (`{item.pk}` in a URL template
    filled with `format_map`, or `f.item` in a body), so a table-driven case builds only the
    rows it uses."""

    def __init__(self, request):
        super().__init__()
        self.request = request

    def __missing__(self, name):
        return self.request.getfixturevalue(name)

    def __getattr__(self, name):
        return self[name]


@pytest.fixture
def by_name(request) -> Fixtures:
    return Fixtures(request)


@pytest.fixture
def other_patient_accepted(other_patient, medical_disclaimer):
    """peter has accepted the current medical disclaimer too."""
    return DisclaimerAcceptanceFactory(patient=other_patient, disclaimer=medical_disclaimer)


@pytest.fixture
def library_series(bridge_series):
    return bridge_series[0]


@pytest.fixture
def single_leg_bridge(bridge_series):
    return bridge_series[1][1]


@pytest.fixture
def band(clinic):
    return catalog_services.equipment_create(clinic=clinic, name="Clinic A band")


@pytest.fixture
def clinic_series(clinic, clinic_exercise):
    series = catalog_services.series_create(clinic=clinic, name="Clinic A slides")
    catalog_services.series_step_add(series=series, exercise=clinic_exercise)
    return series


@pytest.fixture
def clinic_affiliate_disclaimer(clinic):
    return catalog_services.disclaimer_publish(
        clinic=clinic, kind=DisclaimerKind.AFFILIATE, title="Links", body="We may earn."
    )


@pytest.fixture
def single_leg_item(active_program, single_leg_bridge):
    """Single-leg bridge, second in paula's program: the step after `item`'s Bridge."""
    return ProgramItemFactory(program=active_program, exercise=single_leg_bridge, position=2)


@pytest.fixture
def todays_log(item, clinic):
    """paula checked `item` off today (pain 2)."""
    return ExerciseLogFactory(program_item=item, performed_on=clinic.today())


@pytest.fixture
def draft_program(clinic, patient, therapist, single_leg_bridge):
    """A draft of paula's with one item, ready to be activated."""
    draft = ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.DRAFT
    )
    ProgramItemFactory(program=draft, exercise=single_leg_bridge, position=1)
    return draft


@pytest.fixture
def clinic_template(clinic, bridge):
    template = ProgramTemplateFactory(clinic=clinic, name="Knee phase 1", slug="knee-1")
    ProgramTemplateItemFactory(template=template, exercise=bridge, position=1, sets=2, reps=10)
    return template


@pytest.fixture
def invitee(clinic, therapist):
    """A patient of clinic A without an account yet."""
    return PatientFactory(clinic=clinic, primary_therapist=therapist)


@pytest.fixture
def instrument(clinic):
    """A measure of clinic A made for the tests (three 0-4 items, summed)."""
    return InstrumentFactory(clinic=clinic, slug="world-scale")


@pytest.fixture
def spare_instrument(clinic):
    """Another measure of clinic A, not assigned to anyone."""
    return InstrumentFactory(clinic=clinic, slug="spare-scale")


@pytest.fixture
def assignment(patient, instrument):
    """paula is asked `instrument`, due today."""
    return MeasureAssignmentFactory(patient=patient, instrument=instrument)
