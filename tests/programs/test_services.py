import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programs import services
from programs.models import ExerciseLog, Program, ProgramItem, ProgramStatus, ProgramTemplate
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PatientFactory,
    ProgramItemFactory,
    TherapistFactory,
)

TODAY = datetime.date(2026, 11, 26)


def create(clinic, patient, therapist, **overrides):
    fields = {"title": "Knee home program", "start_date": TODAY, **overrides}
    return services.program_create(clinic=clinic, patient=patient, therapist=therapist, **fields)


def test_new_program_is_a_draft_for_the_clinics_patient(clinic, patient, therapist):
    program = create(clinic, patient, therapist)

    assert program.status == ProgramStatus.DRAFT
    assert program.max_pain == 5
    assert program.clinic == clinic


def test_a_patient_of_another_clinic_cannot_be_assigned(clinic, therapist, other_clinic):
    outsider = PatientFactory(clinic=other_clinic)

    with pytest.raises(ValidationError) as error:
        create(clinic, outsider, therapist)

    assert "patient" in error.value.message_dict
    assert not Program.objects.exists()


def test_a_therapist_of_another_clinic_cannot_be_the_therapist(clinic, patient, other_clinic):
    with pytest.raises(ValidationError):
        create(clinic, patient, TherapistFactory(clinic=other_clinic))


def test_end_date_before_start_is_refused_with_a_message(clinic, patient, therapist):
    with pytest.raises(ValidationError) as error:
        create(clinic, patient, therapist, end_date=TODAY - datetime.timedelta(days=1))

    assert "end date cannot be before the start date" in str(error.value)


def test_added_item_takes_the_exercises_default_dosage(program):
    exercise = LibraryExerciseFactory(default_sets=3, default_reps=15, default_hold_seconds=5)

    item = services.program_item_add(program=program, exercise=exercise)

    assert (item.sets, item.reps, item.hold_seconds, item.position) == (3, 15, 5, 1)
    second = services.program_item_add(program=program, exercise=LibraryExerciseFactory())
    assert second.position == 2


def test_another_clinics_exercise_cannot_be_added(program, other_clinic):
    foreign = LibraryExerciseFactory(clinic=other_clinic)

    with pytest.raises(ValidationError) as error:
        services.program_item_add(program=program, exercise=foreign)

    assert "exercise" in error.value.message_dict
    assert not program.items.exists()


def test_own_clinic_exercise_can_be_added(program):
    own = LibraryExerciseFactory(clinic=program.clinic)

    assert services.program_item_add(program=program, exercise=own).exercise == own


def test_an_archived_exercise_cannot_be_added(program):
    archived = LibraryExerciseFactory(is_active=False)

    with pytest.raises(ValidationError, match="archived"):
        services.program_item_add(program=program, exercise=archived)


@pytest.mark.parametrize(
    ("dosage", "message"),
    [
        ({"sets": 0}, "greater than or equal to 1"),
        ({"reps": 500}, "less than or equal to 200"),
        ({"hold_seconds": 0}, "greater than or equal to 1"),
        ({"load_unit": "kg"}, "Give a weight with kg or lb"),
        ({"load_unit": "band", "load_amount": Decimal("2")}, "band colour"),
        ({"side": "sideways"}, "not a valid choice"),
    ],
)
def test_bad_dosage_is_refused_with_a_message(program, dosage, message):
    with pytest.raises(ValidationError, match=message):
        services.program_item_add(program=program, exercise=LibraryExerciseFactory(), **dosage)
    assert not program.items.exists()


def test_editing_an_unlogged_item_changes_it_in_place(program):
    item = ProgramItemFactory(program=program)

    updated = services.program_item_update(
        item=item, reps=15, load_amount=Decimal("1.5"), load_unit="kg"
    )

    assert updated.pk == item.pk
    assert (updated.reps, updated.load_amount, updated.load_unit) == (15, Decimal("1.5"), "kg")


def test_editing_a_logged_item_keeps_the_old_prescription_and_its_logs(program):
    item = ProgramItemFactory(program=program, reps=10)
    log = ExerciseLogFactory(program_item=item)

    updated = services.program_item_update(item=item, reps=15)

    item.refresh_from_db()
    log.refresh_from_db()
    assert updated.pk != item.pk
    assert updated.replaces == item
    assert item.retired_at is not None and item.reps == 10
    assert log.program_item == item
    assert updated.position == item.position and updated.reps == 15


def test_removing_a_logged_item_retires_it_and_keeps_logs(program):
    logged = ProgramItemFactory(program=program)
    ExerciseLogFactory(program_item=logged)
    unlogged = ProgramItemFactory(program=program)

    services.program_item_remove(item=logged)
    services.program_item_remove(item=unlogged)

    logged.refresh_from_db()
    assert logged.retired_at is not None
    assert ExerciseLog.objects.filter(program_item=logged).count() == 1
    assert not ProgramItem.objects.filter(pk=unlogged.pk).exists()


def test_moving_items_swaps_neighbours(program):
    first, second, third = (ProgramItemFactory(program=program, position=n) for n in (1, 2, 3))

    services.program_item_move(item=third, direction="up")
    services.program_item_move(item=first, direction="up")  # already first: nothing happens

    order = list(program.items.current().order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]


def test_progress_moves_to_the_next_step_with_the_same_dosage(program, bridge_series):
    _, (bridge, single, _ball) = bridge_series
    item = services.program_item_add(program=program, exercise=bridge, sets=3, reps=12)
    ExerciseLogFactory(program_item=item)

    new_item = services.program_item_progress(item=item, step=1)

    item.refresh_from_db()
    assert new_item.exercise == single
    assert (new_item.sets, new_item.reps, new_item.position) == (3, 12, item.position)
    assert item.retired_at is not None
    assert item.logs.count() == 1
    assert list(program.items.current()) == [new_item]


def test_regress_moves_back_a_step(program, bridge_series):
    _, (bridge, single, _ball) = bridge_series
    item = services.program_item_add(program=program, exercise=single)

    assert services.program_item_progress(item=item, step=-1).exercise == bridge


def test_the_last_step_has_no_next_and_the_first_no_previous(program, bridge_series):
    _, (bridge, _single, ball) = bridge_series
    hardest = services.program_item_add(program=program, exercise=ball)
    easiest = services.program_item_add(program=program, exercise=bridge)

    with pytest.raises(ValidationError, match="hardest"):
        services.program_item_progress(item=hardest, step=1)
    with pytest.raises(ValidationError, match="easiest"):
        services.program_item_progress(item=easiest, step=-1)


def test_an_exercise_in_no_series_cannot_progress(program):
    item = services.program_item_add(program=program, exercise=LibraryExerciseFactory())

    with pytest.raises(ValidationError, match="not part of a progression series"):
        services.program_item_progress(item=item, step=1)


def test_a_retired_item_cannot_progress_again(program, bridge_series):
    _, (bridge, _single, _ball) = bridge_series
    item = services.program_item_add(program=program, exercise=bridge)
    services.program_item_progress(item=item, step=1)

    with pytest.raises(ValidationError, match="already replaced"):
        services.program_item_progress(item=item, step=1)


def test_status_moves_along_its_lifecycle(program):
    with pytest.raises(ValidationError, match="at least one exercise"):
        services.program_status_change(program=program, status=ProgramStatus.ACTIVE)
    ProgramItemFactory(program=program)

    for status in (ProgramStatus.ACTIVE, ProgramStatus.PAUSED, ProgramStatus.ACTIVE):
        program = services.program_status_change(program=program, status=status)
        assert program.status == status
    services.program_status_change(program=program, status=ProgramStatus.COMPLETED)
    with pytest.raises(ValidationError, match="cannot become"):
        services.program_status_change(program=program, status=ProgramStatus.ACTIVE)


def test_template_round_trip(program, clinic, patient, therapist, bridge_series):
    _, (bridge, single, _ball) = bridge_series
    services.program_item_add(program=program, exercise=bridge, sets=3, reps=12, hold_seconds=5)
    services.program_item_add(
        program=program, exercise=single, side="left", load_amount=Decimal("2"), load_unit="lb"
    )

    template = services.program_template_create_from_program(
        program=program, name="Bridges, phase 1", created_by=therapist
    )
    copy = create(clinic, patient, therapist, template=template)

    def dosage(p):
        return list(
            p.items.current()
            .order_by("position")
            .values_list(
                "exercise", "sets", "reps", "hold_seconds", "side", "load_amount", "load_unit"
            )
        )

    assert template.clinic == clinic
    assert dosage(copy) == dosage(program)
    assert copy.template == template


def test_duplicate_template_name_is_refused(program, therapist):
    services.program_template_create_from_program(
        program=program, name="Phase 1", created_by=therapist
    )

    with pytest.raises(ValidationError, match="already has a template"):
        services.program_template_create_from_program(
            program=program, name="phase 1", created_by=therapist
        )
    assert ProgramTemplate.objects.count() == 1


def test_another_clinics_template_cannot_be_used(
    clinic, patient, therapist, other_clinic_therapist
):
    other_program = create(
        other_clinic_therapist.clinic,
        PatientFactory(clinic=other_clinic_therapist.clinic),
        other_clinic_therapist,
    )
    foreign = services.program_template_create_from_program(
        program=other_program, name="Theirs", created_by=other_clinic_therapist
    )

    with pytest.raises(ValidationError):
        create(clinic, patient, therapist, template=foreign)


def test_archived_exercises_are_left_out_when_starting_from_a_template(
    program, clinic, patient, therapist
):
    kept = services.program_item_add(program=program, exercise=LibraryExerciseFactory())
    archived = services.program_item_add(program=program, exercise=LibraryExerciseFactory())
    template = services.program_template_create_from_program(
        program=program, name="T", created_by=therapist
    )
    archived.exercise.is_active = False
    archived.exercise.save()

    copy = create(clinic, patient, therapist, template=template)

    assert [item.exercise for item in copy.items.all()] == [kept.exercise]


def test_a_retired_item_cannot_be_moved(program, bridge_series):
    _, (bridge, _single, _ball) = bridge_series
    item = services.program_item_add(program=program, exercise=bridge)
    services.program_item_progress(item=item, step=1)
    item.refresh_from_db()

    with pytest.raises(ValidationError, match="already replaced"):
        services.program_item_move(item=item, direction="down")
