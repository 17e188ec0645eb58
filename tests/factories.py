"""factory-boy factories for clinics and people. Named actors live in conftest.py."""

import factory
from django.utils import timezone

from clinic.models import Clinic, Invitation, Patient, Role, User

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    timezone = "Europe/Madrid"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.THERAPIST
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class AdminFactory(UserFactory):
    role = Role.ADMIN


class TherapistFactory(UserFactory):
    role = Role.THERAPIST


class PatientUserFactory(UserFactory):
    role = Role.PATIENT


class SuperuserFactory(UserFactory):
    clinic = None
    role = ""
    is_staff = True
    is_superuser = True


class PatientFactory(factory.django.DjangoModelFactory):
    """A clinic's patient without an account (as right after being added)."""

    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"patient{n}@example.org")
    primary_therapist = factory.SubFactory(
        TherapistFactory, clinic=factory.SelfAttribute("..clinic")
    )


class PatientWithAccountFactory(PatientFactory):
    user = factory.SubFactory(
        PatientUserFactory,
        clinic=factory.SelfAttribute("..clinic"),
        email=factory.SelfAttribute("..email"),
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    clinic = factory.SubFactory(ClinicFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.THERAPIST
    invited_by = factory.SubFactory(AdminFactory, clinic=factory.SelfAttribute("..clinic"))
    created_at = factory.LazyFunction(timezone.now)
