"""factory-boy factories for the catalog. `clinic` defaults to a new clinic; pass clinic=None
for a shared-library row (or use the Library* factories)."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image

from exercises.models import (
    BodyRegion,
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    Muscle,
    Position,
    ProgressionSeries,
    ProgressionStep,
)
from tests.factories import ClinicFactory


class BodyRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyRegion
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Muscle {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    body_region = factory.SubFactory(BodyRegionFactory)


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Equipment {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class LibraryEquipmentFactory(EquipmentFactory):
    clinic = None


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    summary = "A test exercise."
    instructions = factory.LazyFunction(lambda: ["Get into position.", "Move slowly."])
    cues = factory.LazyFunction(lambda: ["Keep breathing."])
    position = Position.STANDING
    starting_position = "Stand up tall."
    difficulty = 2
    default_sets = 2
    default_reps = 10

    @factory.post_generation
    def muscles(self, create, extracted, **kwargs):
        if create and extracted:
            self.muscles.set(extracted)

    @factory.post_generation
    def body_regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.body_regions.set(extracted)

    @factory.post_generation
    def equipment(self, create, extracted, **kwargs):
        if create and extracted:
            self.equipment.set(extracted)


class LibraryExerciseFactory(ExerciseFactory):
    clinic = None


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressionSeries

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressionStep

    series = factory.SubFactory(SeriesFactory)
    exercise = factory.SubFactory(ExerciseFactory, clinic=factory.SelfAttribute("..series.clinic"))
    position = factory.Sequence(lambda n: n + 1)
    advance_when = "15 easy repetitions on 3 days in a row."


class DisclaimerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclaimer

    clinic = factory.SubFactory(ClinicFactory)
    kind = DisclaimerKind.MEDICAL
    title = factory.Sequence(lambda n: f"Disclaimer {n}")
    body = "Exercise at your own risk."
    version = 1


def image_upload(name="picture.png", image_format="PNG", size=(8, 8)) -> SimpleUploadedFile:
    """A real, tiny picture as an uploaded file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    content_types = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_types[image_format])
