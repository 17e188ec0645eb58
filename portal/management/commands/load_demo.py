"""A demo clinic with one login per role, for `make run`. Never for production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.models import Clinic, Patient, Role, User
from programs.demo import seed_attention_demo
from programs.measures.services import assignment_create
from programs.models import (
    Instrument,
    MeasureAssignment,
    Program,
    ProgramStatus,
    ProgramTemplate,
)
from programs.reminder_rules import DEFAULT_REMINDER_TIME
from programs.services import program_create, program_status_change
from programs.status import refresh_clinic

# Demo logins live here and only here; they are printed by this command for `make run`.
DEMO_PASSWORD = "demo-exercise-2026"  # noqa: S105
DEMO_PEOPLE = [
    ("admin@example.com", Role.ADMIN, "Alex", "Admin"),
    ("therapist@example.com", Role.THERAPIST, "Terry", "Therapist"),
    ("patient@example.com", Role.PATIENT, "Pat", "Patient"),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo clinic and its admin, therapist and patient logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo clinic is for development only (DJANGO_ENV=production).")
        with transaction.atomic():
            clinic, _ = Clinic.objects.get_or_create(
                slug="demo",
                defaults={"name": "Demo Physical Therapy", "timezone": "America/New_York"},
            )
            # The demo logins sign in with just the password; clinics start with two-step
            # sign-in required for admins (README: how to try it in the demo).
            clinic.require_two_step_admins = False
            clinic.require_two_step_staff = False
            clinic.save(update_fields=["require_two_step_admins", "require_two_step_staff"])
            users = {}
            for email, role, first_name, last_name in DEMO_PEOPLE:
                user, _ = User.objects.update_or_create(
                    email=email,
                    defaults={
                        "clinic": clinic,
                        "role": role,
                        "first_name": first_name,
                        "last_name": last_name,
                        "is_active": True,
                    },
                )
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                users[role] = user
            patient, _ = Patient.objects.update_or_create(
                clinic=clinic,
                email=users[Role.PATIENT].email,
                defaults={
                    "user": users[Role.PATIENT],
                    "first_name": "Pat",
                    "last_name": "Patient",
                    "primary_therapist": users[Role.THERAPIST],
                },
            )

            program = self._demo_program(clinic, patient, users[Role.THERAPIST])
            # A few more patients whose logs raise each reason on the therapist's dashboard.
            seed_attention_demo(clinic, users[Role.THERAPIST])
            measure = self._demo_measure(patient, users[Role.THERAPIST])
            refresh_clinic(clinic)  # what the patient list and the dashboard show

        self.stdout.write(self.style.SUCCESS(f"Demo clinic “{clinic.name}” is ready."))
        if program is not None:
            self.stdout.write(f"The demo patient has the active program “{program.title}”.")
        if measure is not None:
            self.stdout.write(f"The demo patient has the {measure.instrument.short_name} due.")
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with (password for all three):")
        for email, role, *_ in DEMO_PEOPLE:
            self.stdout.write(f"  {Role(role).label:<13} {email}")
        self.stdout.write(f"  Password      {DEMO_PASSWORD}")
        self.stdout.write(
            "The therapist's dashboard (/dashboard/) shows demo patients needing attention."
        )

    def _demo_program(self, clinic, patient, therapist):
        """Give the demo patient an active program from the shared hamstring template, once,
        so the portal has something to show. Needs load_program_templates to have run."""
        existing = Program.objects.of_patient(patient).first()
        if existing is not None:
            return existing
        template = ProgramTemplate.objects.filter(
            clinic__isnull=True, slug="hamstring-strengthening"
        ).first()
        if template is None:
            self.stdout.write("No shared template yet (run load_program_templates): no program.")
            return None
        program = program_create(
            clinic=clinic,
            patient=patient,
            therapist=therapist,
            title=str(template.name),
            start_date=clinic.today(),
            template=template,
            reminder_time=DEFAULT_REMINDER_TIME,
        )
        return program_status_change(program=program, status=ProgramStatus.ACTIVE)

    def _demo_measure(self, patient, therapist):
        """Give the demo patient the PSFS, due today and every 4 weeks, once. Needs
        load_measures to have run."""
        psfs = Instrument.objects.filter(clinic__isnull=True, slug="psfs").current().first()
        if psfs is None:
            self.stdout.write("No shared measures yet (run load_measures): no questionnaire.")
            return None
        existing = MeasureAssignment.objects.of_patient(patient).filter(instrument=psfs).first()
        if existing is not None:
            return existing
        return assignment_create(
            patient=patient,
            instrument=psfs,
            assigned_by=therapist,
            starts_on=patient.clinic.today(),
            every_weeks=4,
        )
