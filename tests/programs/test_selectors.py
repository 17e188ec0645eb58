import datetime

from django.utils import timezone

from programs.models import ProgramItem
from programs.selectors import program_adherence, progression_neighbours_for
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    ProgramFactory,
    ProgramItemFactory,
    series_of,
)


def test_adherence_counts_completed_over_scheduled(clinic):
    today = clinic.today()
    program = ProgramFactory(
        clinic=clinic, start_date=today - datetime.timedelta(days=40), sessions_per_day=2
    )
    item = ProgramItemFactory(program=program)
    ProgramItem.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    for offset in range(7):  # one of the two sessions on each of the last 7 days
        ExerciseLogFactory(program_item=item, performed_on=today - datetime.timedelta(days=offset))
    ExerciseLogFactory(program_item=item, performed_on=today, session=2, completed=False)

    week, month = program_adherence(program, [ProgramItem.objects.get(pk=item.pk)], today)

    assert (week.completed, week.scheduled, week.percent) == (7, 14, 50)
    assert not week.is_adherent
    assert (month.completed, month.scheduled) == (7, 60)


def test_adherence_only_schedules_days_after_the_start_and_items_in_place(clinic):
    today = clinic.today()
    program = ProgramFactory(clinic=clinic, start_date=today - datetime.timedelta(days=2))
    item = ProgramItemFactory(program=program)  # prescribed today
    ProgramItem.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    ExerciseLogFactory(program_item=item, performed_on=today)
    ExerciseLogFactory(program_item=item, performed_on=today - datetime.timedelta(days=1))

    week, _ = program_adherence(program, [ProgramItem.objects.get(pk=item.pk)], today)

    assert (week.completed, week.scheduled, week.percent) == (2, 2, 100)
    assert week.is_adherent


def test_the_clinics_own_series_wins_over_the_library(clinic):
    bridge, single, ball = (LibraryExerciseFactory() for _ in range(3))
    series_of(bridge, single)
    series_of(bridge, ball, clinic=clinic)
    other = LibraryExerciseFactory()

    neighbours = progression_neighbours_for([bridge.pk, other.pk], clinic)

    assert neighbours[bridge.pk].next.exercise == ball
    assert neighbours[other.pk].current is None
