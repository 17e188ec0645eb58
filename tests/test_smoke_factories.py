"""The named actors are who their names say, and every model has one factory, in
tests/factories.py, that makes a valid row."""

import inspect
from pathlib import Path

import factory
import pytest
from django.apps import apps

from clinic.models import AuditEvent, Patient, Role
from tests import factories


def test_named_actors_belong_where_their_names_say(
    patient, other_patient, other_clinic_therapist, clinic
):
    assert patient.clinic == clinic
    assert patient.user.role == Role.PATIENT
    assert patient.user.clinic == clinic
    assert other_patient.clinic == clinic
    assert other_patient.user != patient.user
    assert other_clinic_therapist.clinic != clinic
    assert Patient.objects.for_user(other_clinic_therapist).count() == 0


FACTORIES = [
    value
    for value in vars(factories).values()
    if inspect.isclass(value)
    and issubclass(value, factory.django.DjangoModelFactory)
    and value._meta.model is not None
]
# Audit events are written only through clinic.audit.record_event, which the tests call.
WITHOUT_FACTORY = {AuditEvent}
MODELS = [
    model
    for app in ("clinic", "exercises", "programs")
    for model in apps.get_app_config(app).get_models()
    if model not in WITHOUT_FACTORY
]


def base_factories(model):
    """The factories for `model` that are not variants (subclasses) of another one for it,
    as LibraryExerciseFactory is of ExerciseFactory."""
    for_model = [candidate for candidate in FACTORIES if candidate._meta.model is model]
    return [
        candidate
        for candidate in for_model
        if not any(
            parent is not candidate and issubclass(candidate, parent) for parent in for_model
        )
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_has_exactly_one_factory(model):
    assert len(base_factories(model)) == 1, [f.__name__ for f in base_factories(model)]


def test_factories_are_defined_only_in_tests_factories():
    here = Path(__file__).parent
    elsewhere = [
        str(path.relative_to(here))
        for path in here.rglob("*.py")
        if path.name != "factories.py"
        and "DjangoModelFactory" in path.read_text()
        and path != Path(__file__)
    ]
    assert elsewhere == []


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_makes_a_valid_row(model_factory):
    row = model_factory()

    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()
