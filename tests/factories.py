"""factory-boy factories, one per model. Named actors live in tests/conftest.py.

Catalog factories default to a new clinic; the Library* factories (or clinic=None) make
shared-library rows. Rows that carry their parent's clinic take it from the parent.
"""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from clinic.models import Clinic, Invitation, Patient, Role, User, UserSession
from clinic.sessions import SessionStore
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
from programs.choices import AttentionKind
from programs.models import (
    AttentionReview,
    Channel,
    ComparedToBefore,
    Delivery,
    DeliveryStatus,
    DigestPreference,
    DisclaimerAcceptance,
    ExerciseLog,
    Instrument,
    MeasureAssignment,
    MeasureResponse,
    MessageKind,
    PainCheck,
    PatientStatus,
    Program,
    ProgramItem,
    ProgramStatus,
    ProgramTemplate,
    ProgramTemplateItem,
    PushSubscription,
    ReminderSettings,
    SentReminder,
)

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    timezone = "Europe/Madrid"
    # Off in tests so signing in takes just the password; tests/clinic/test_two_step.py turns it on.
    require_two_step_admins = False


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


class LibrarySeriesFactory(SeriesFactory):
    clinic = None


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


def series_of(*exercises, clinic=None, criterion="15 easy reps on 3 days in a row"):
    """A progression series over the exercises, easiest first (the library's by default)."""
    series = SeriesFactory(clinic=clinic)
    for position, exercise in enumerate(exercises, start=1):
        StepFactory(series=series, exercise=exercise, position=position, advance_when=criterion)
    return series


class ProgramTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramTemplate

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProgramTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramTemplateItem

    template = factory.SubFactory(ProgramTemplateFactory)
    clinic = factory.SelfAttribute("template.clinic")
    exercise = factory.SubFactory(LibraryExerciseFactory)
    position = factory.Sequence(lambda n: n + 1)
    sets = 2
    reps = 10


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


class PainCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainCheck

    program = factory.SubFactory(ProgramFactory)
    patient = factory.SelfAttribute("program.patient")
    clinic = factory.SelfAttribute("patient.clinic")
    checked_on = factory.LazyFunction(datetime.date.today)
    pain_now = 2
    compared_to_before = ComparedToBefore.SAME


class DisclaimerAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclaimerAcceptance

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    disclaimer = factory.SubFactory(DisclaimerFactory, clinic=None)


class UserSessionFactory(factory.django.DjangoModelFactory):
    """A signed-in browser session of `user`, encoded as the session engine does."""

    class Meta:
        model = UserSession

    user = factory.SubFactory(TherapistFactory)
    session_key = factory.Sequence(lambda n: f"factorysession{n:026d}")
    expire_date = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(weeks=2))
    session_data = factory.LazyAttribute(
        lambda o: SessionStore().encode(
            {
                "_auth_user_id": str(o.user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": o.user.get_session_auth_hash(),
            }
        )
    )


def backdate(item: ProgramItem, days: int) -> ProgramItem:
    """Pretend the item was prescribed `days` ago (created_at is auto_now_add)."""
    ProgramItem.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    item.refresh_from_db()
    return item


def image_upload(name="picture.png", image_format="PNG", size=(8, 8)) -> SimpleUploadedFile:
    """A real, tiny picture as an uploaded file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    content_types = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_types[image_format])


class ReminderSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderSettings

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    enabled = True
    time = datetime.time(8, 0)
    by_email = True


class SentReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentReminder

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    day = factory.LazyFunction(datetime.date.today)
    slot = 1
    due_at = factory.LazyFunction(timezone.now)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    reminder = factory.SubFactory(SentReminderFactory)
    patient = factory.SelfAttribute("reminder.patient")
    clinic = factory.SelfAttribute("patient.clinic")
    recipient = factory.SelfAttribute("patient.user")
    kind = MessageKind.REMINDER
    channel = Channel.EMAIL
    status = DeliveryStatus.DELIVERED
    attempts = 1


class DigestPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestPreference

    therapist = factory.SubFactory(TherapistFactory)
    clinic = factory.SelfAttribute("therapist.clinic")
    enabled = True


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PushSubscription

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    endpoint = factory.Sequence(lambda n: f"https://push.example.org/send/{n}")
    p256dh = (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    )
    auth = "BTBZMqHH6r4Tts7J_aSIgg"


class AttentionReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttentionReview

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    kind = AttentionKind.LOW_ADHERENCE
    reviewed_by = factory.SubFactory(TherapistFactory, clinic=factory.SelfAttribute("..clinic"))


class PatientStatusFactory(factory.django.DjangoModelFactory):
    """A stored status as written by programs/status.py (tests usually let it compute one)."""

    class Meta:
        model = PatientStatus

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    as_of = factory.LazyFunction(datetime.date.today)
    computed_at = factory.LazyFunction(timezone.now)
    stale_after = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=12))


# --- Outcome measures: instruments made for the tests (not the shipped ones) ---


def test_instrument_definition(slug="test-scale", version=1, **overrides) -> dict:
    """Three 0-4 items summed (0-12, lower is better), scored with at least 2 answered and
    prorated; a subscale of the first two items."""
    definition = {
        "format": 1,
        "slug": slug,
        "version": version,
        "name": "Test scale",
        "short_name": "TS",
        "licence": "Written for the tests.",
        "items": [{"id": f"q{n}", "text": f"Question {n}?", "min": 0, "max": 4} for n in (1, 2, 3)],
        "scoring": {
            "method": "sum",
            "min_answered": 2,
            "prorate": True,
            "subscales": [
                {"id": "first_two", "name": "First two", "items": ["q1", "q2"], "method": "sum"}
            ],
        },
        "range": {"min": 0, "max": 12},
        "better": "lower",
        "mcid": {"value": 3, "source": "Made up for the tests"},
        "mdc": {"value": 2, "source": "Made up for the tests"},
    }
    definition.update(overrides)
    return definition


def test_activity_definition(slug="test-activities", version=1) -> dict:
    """PSFS-like: 2 to 3 named activities rated 0-10, scored by the mean."""
    return {
        "format": 1,
        "slug": slug,
        "version": version,
        "name": "Test activities",
        "short_name": "TA",
        "licence": "Written for the tests.",
        "activities": {
            "min_count": 2,
            "max_count": 3,
            "name_prompt": "Name 2 or 3 activities.",
            "question": "How well can you do this: {activity}?",
            "min": 0,
            "max": 10,
        },
        "scoring": {"method": "mean"},
        "range": {"min": 0, "max": 10},
        "better": "higher",
        "mcid": {"value": 2, "source": "Made up"},
        "mdc": {"value": 2, "item_value": 3, "source": "Made up"},
    }


test_instrument_definition.__test__ = False
test_activity_definition.__test__ = False


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A clinic-owned instrument (clinic=None for a library one)."""

    class Meta:
        model = Instrument

    clinic = factory.SubFactory(ClinicFactory)
    slug = factory.Sequence(lambda n: f"test-scale-{n}")
    version = 1
    definition = factory.LazyAttribute(
        lambda o: test_instrument_definition(slug=o.slug, version=o.version)
    )
    name = factory.LazyAttribute(lambda o: o.definition["name"])
    short_name = factory.LazyAttribute(lambda o: o.definition["short_name"])


class MeasureAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureAssignment

    patient = factory.SubFactory(PatientWithAccountFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    instrument = factory.SubFactory(InstrumentFactory, clinic=factory.SelfAttribute("..clinic"))
    starts_on = factory.LazyFunction(datetime.date.today)
    next_due_on = factory.SelfAttribute("starts_on")


class MeasureResponseFactory(factory.django.DjangoModelFactory):
    """A sent, scored response (pass submitted_at=None for a started one)."""

    class Meta:
        model = MeasureResponse

    assignment = factory.SubFactory(MeasureAssignmentFactory)
    clinic = factory.SelfAttribute("assignment.clinic")
    patient = factory.SelfAttribute("assignment.patient")
    instrument = factory.SelfAttribute("assignment.instrument")
    answers = factory.LazyFunction(lambda: {"q1": 2, "q2": 2, "q3": 2})
    score = 6.0
    answered_count = 3
    answered_on = factory.LazyFunction(datetime.date.today)
    submitted_at = factory.LazyFunction(timezone.now)
