import datetime

import factory

from exercises.models import Exercise, ProgressionSeries, ProgressionStep
from programs.models import ExerciseLog, Program, ProgramItem, ProgramStatus
from tests.factories import ClinicFactory, PatientWithAccountFactory, TherapistFactory


class LibraryExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    clinic = None
    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    summary = "Strengthens the back of the thigh."
    instructions = factory.LazyFunction(lambda: ["Lie down.", "Lift.", "Lower slowly."])
    cues = factory.LazyFunction(lambda: ["Keep breathing."])
    position = "hooklying"
    starting_position = "On your back, knees bent."
    difficulty = 2
    default_sets = 3
    default_reps = 12
    default_hold_seconds = None


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressionSeries

    clinic = None
    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


def series_of(*exercises, clinic=None, criterion="15 easy reps on 3 days in a row"):
    """A progression series over the exercises, easiest first."""
    series = SeriesFactory(clinic=clinic)
    for position, exercise in enumerate(exercises, start=1):
        ProgressionStep.objects.create(
            series=series, exercise=exercise, position=position, advance_when=criterion
        )
    return series


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    clinic = factory.SubFactory(ClinicFactory)
    patient = factory.SubFactory(
        PatientWithAccountFactory, clinic=factory.SelfAttribute("..clinic")
    )
    therapist = factory.SubFactory(TherapistFactory, clinic=factory.SelfAttribute("..clinic"))
    title = "Hamstring program"
    status = ProgramStatus.ACTIVE
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=60))


class ProgramItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramItem

    program = factory.SubFactory(ProgramFactory)
    clinic = factory.SelfAttribute("program.clinic")
    exercise = factory.SubFactory(LibraryExerciseFactory)
    position = factory.Sequence(lambda n: n + 1)
    sets = 2
    reps = 10


class ExerciseLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExerciseLog

    program_item = factory.SubFactory(ProgramItemFactory)
    patient = factory.SelfAttribute("program_item.program.patient")
    clinic = factory.SelfAttribute("patient.clinic")
    performed_on = factory.LazyFunction(datetime.date.today)
    session = 1
    completed = True
    sets_done = 2
    reps_done = 10
    pain = 2
