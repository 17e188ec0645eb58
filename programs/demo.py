"""Demo patients whose logs raise each reason of the dashboard, for `make run` (load_demo).

Development only: the logs are written as rows (a demo needs days further back than the
portal lets a patient log), after the programs and items went through the services.
"""

from datetime import timedelta

from django.utils import timezone

from clinic.models import Clinic, Invitation, Patient, Role, User
from exercises.models import Exercise
from programs.measures.services import assignment_create, response_record
from programs.models import (
    ComparedToBefore,
    Difficulty,
    ExerciseLog,
    Instrument,
    PainCheck,
    ProgramItem,
)
from programs.services import program_create, program_item_add, program_status_change

# (first name, last name, what their logs show)
DEMO_ATTENTION_PATIENTS = [
    ("Sam", "Sore", "pain"),
    ("Morgan", "Morning", "morning"),
    ("Quinn", "Quiet", "quiet"),
    ("Lee", "Lowe", "low"),
    ("Ivy", "Invited", "invited"),
    ("Eden", "Ending", "ending"),
    ("Reese", "Ready", "ready"),
    ("Wren", "Worse", "measure"),
]


def _email(first_name: str) -> str:
    return f"demo-{first_name.lower()}@example.com"


def _log(item, day, **fields):
    values = {"sets_done": item.sets, "reps_done": item.reps, "pain": 1, "difficulty": "easy"}
    values.update(fields)
    ExerciseLog.objects.create(
        clinic_id=item.clinic_id, program_item=item, patient=item.program.patient,
        performed_on=day, **values,
    )  # fmt: skip


def _program(clinic, patient, therapist, today, *, end_date=None, dose=(2, 10, None)):
    sets, reps, hold = dose
    program = program_create(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        title="Hamstring strengthening, phase 1",
        start_date=today - timedelta(days=21),
        end_date=end_date,
    )
    bridge = Exercise.objects.filter(clinic__isnull=True, slug="bridge").first()
    squat = Exercise.objects.filter(clinic__isnull=True, slug="chair-squat").first()
    items = [
        program_item_add(
            program=program, exercise=exercise, sets=sets, reps=reps, hold_seconds=hold
        )
        for exercise in (bridge, squat)
        if exercise is not None
    ]
    program_status_change(program=program, status="active")
    # Prescribed three weeks ago, as if the patient had been at it since.
    ProgramItem.objects.filter(pk__in=[item.pk for item in items]).update(
        created_at=timezone.now() - timedelta(days=21)
    )
    return items


def seed_attention_demo(clinic: Clinic, therapist: User) -> int:
    """Create the demo patients that are missing; returns how many were created. Needs the
    library (load_library) for the exercises."""
    if not Exercise.objects.filter(clinic__isnull=True, slug="bridge").exists():
        return 0  # no library yet (load_library): their programs would have no exercises
    today = clinic.today()
    created = 0
    for first_name, last_name, story in DEMO_ATTENTION_PATIENTS:
        if Patient.objects.filter(clinic=clinic, email=_email(first_name)).exists():
            continue
        created += 1
        patient = Patient.objects.create(
            clinic=clinic,
            first_name=first_name,
            last_name=last_name,
            email=_email(first_name),
            primary_therapist=therapist,
        )
        if story == "invited":
            Invitation.objects.create(
                clinic=clinic,
                email=patient.email,
                role=Role.PATIENT,
                patient=patient,
                invited_by=therapist,
                created_at=timezone.now() - timedelta(days=4),
            )
            continue
        dose = (3, 15, 5) if story == "ready" else (2, 10, None)
        end_date = today + timedelta(days=5) if story == "ending" else None
        items = _program(clinic, patient, therapist, today, end_date=end_date, dose=dose)
        if not items:
            continue
        first = items[0]
        if story == "quiet":
            days = range(6, 21)  # nothing for the last 6 days
        elif story == "low":
            days = range(0, 21, 4)  # about one day in four
        else:
            days = range(0, 21)
        for offset in days:
            day = today - timedelta(days=offset)
            for item in items:
                pain = 1
                if story == "pain" and item is first and offset in (0, 1):
                    pain = 7
                _log(item, day, pain=pain)
        if story == "morning":
            PainCheck.objects.create(
                clinic=clinic,
                patient=patient,
                program=first.program,
                checked_on=today,
                pain_now=3,
                compared_to_before=ComparedToBefore.WORSE,
            )
        if story == "ready":
            ExerciseLog.objects.filter(program_item=first).update(difficulty=Difficulty.EASY)
        if story == "measure":
            _pain_scale_got_worse(patient, therapist, today)
    return created


def _pain_scale_got_worse(patient, therapist, today):
    """The pain scale answered four weeks ago and two weeks ago, worse by more than its MCID
    (needs load_measures; without it the patient simply has no questionnaire)."""
    nprs = Instrument.objects.filter(clinic__isnull=True, slug="nprs").current().first()
    if nprs is None:
        return
    assignment = assignment_create(
        patient=patient,
        instrument=nprs,
        assigned_by=therapist,
        starts_on=today - timedelta(days=28),
        every_weeks=2,
    )
    for days_ago, (now, least, worst) in ((28, (2, 1, 3)), (14, (6, 4, 8))):
        response_record(
            assignment=assignment,
            version=nprs.version,
            answers={"now": now, "least_24h": least, "worst_24h": worst},
            today=today - timedelta(days=days_ago),
        )
