"""Every list endpoint runs a fixed number of queries, with one row or many."""

import pytest

from exercises import services as catalog_services
from programs.models import ProgramStatus
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    ProgramTemplateFactory,
    ProgramTemplateItemFactory,
    series_of,
)

MANY = 12


def add_rows(program, clinic, therapist, patient, count):
    """`count` more of everything each list shows, related rows included."""
    for n in range(count):
        band = catalog_services.equipment_create(clinic=clinic, name=f"Band {n}")
        exercise = catalog_services.exercise_create(
            clinic=clinic,
            name=f"Extra {n}",
            summary="x",
            instructions=["Do it."],
            position="prone",
            starting_position="x",
            equipment=[band],
        )
        series_of(exercise, LibraryExerciseFactory(), clinic=clinic)
        other = PatientWithAccountFactory(clinic=clinic, primary_therapist=therapist)
        program = ProgramFactory(clinic=clinic, patient=other, therapist=therapist)
        ProgramItemFactory(program=program, exercise=exercise, position=1)
        template = ProgramTemplateFactory(clinic=clinic, name=f"T{n}", slug=f"t-{n}")
        ProgramTemplateItemFactory(template=template, exercise=exercise, position=1, sets=1, reps=1)
        catalog_services.disclaimer_publish(clinic=clinic, kind="affiliate", title="x", body="y")
        item = ProgramItemFactory(program=program, exercise=exercise, position=10 + n)
        ExerciseLogFactory(program_item=item, performed_on=clinic.today())
        mine = ProgramFactory(
            clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.ACTIVE
        )
        ProgramItemFactory(program=mine, exercise=exercise, position=1)


@pytest.fixture
def one_of_each(
    bridge_series,
    band,
    clinic_exercise,
    clinic_series,
    clinic_affiliate_disclaimer,
    accepted,
    item,
    single_leg_item,
    todays_log,
    draft_program,
    clinic_template,
    invitee,
):
    """At least one row in every list below (paula's program has two items, one logged)."""
    return item.program


STAFF_LISTS = [
    ("/api/v1/exercises/", 8),
    ("/api/v1/series/", 7),
    ("/api/v1/equipment/", 6),
    ("/api/v1/disclaimers/", 6),
    ("/api/v1/disclaimers/current/", 5),
    ("/api/v1/patients/", 6),
    ("/api/v1/programs/", 6),
    ("/api/v1/programs/{program.pk}/items/", 8),
    ("/api/v1/programs/{program.pk}/logs/", 7),
    ("/api/v1/templates/", 7),
]
PATIENT_LISTS = [
    ("/api/v1/me/today/", 10),
    ("/api/v1/me/programs/", 10),
    ("/api/v1/me/logs/", 10),
    ("/api/v1/me/pain-checks/", 9),
]


@pytest.mark.parametrize("rows", [0, MANY], ids=["few", "many"])
@pytest.mark.parametrize(("url", "limit"), STAFF_LISTS + PATIENT_LISTS)
def test_list_queries_are_bounded(
    one_of_each,
    api_for,
    clinic,
    therapist,
    patient,
    django_assert_max_num_queries,
    url,
    limit,
    rows,
):
    add_rows(one_of_each, clinic, therapist, patient, rows)
    user = patient.user if url.startswith("/api/v1/me/") else therapist
    client = api_for(user)

    with django_assert_max_num_queries(limit):
        response = client.get(url.format(program=one_of_each), {"page_size": 100})

    assert response.status_code == 200
