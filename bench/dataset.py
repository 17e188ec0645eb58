"""The bench dataset: one clinic of a given size, written with set-based SQL (PostgreSQL).

One clinic ("bench"), `therapists` therapists, `patients` patients (each with an account and an
active 4-exercise program from the shared library) and about `logs` exercise logs: the first
patient has a year of daily logs and a morning pain check every day, the rest share the
remaining logs as their most recent days. Rows are made by `INSERT ... SELECT
generate_series(...)` inside PostgreSQL, so a million logs take seconds, not an hour of ORM
saves. Run inside a configured Django (see bench/__main__.py).
"""

import io
from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from knox.models import get_token_model

from clinic.models import Clinic, Patient, Role, User
from exercises.models import DisclaimerKind, Exercise
from exercises.services import disclaimer_publish
from programs.models import DisclaimerAcceptance, Program, ProgramItem
from programs.services import program_create, program_item_add
from programs.status import refresh_clinic

CLINIC_SLUG = "bench"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway local bench database only
THERAPIST_EMAIL = "therapist1@bench.example"
ADMIN_EMAIL = "admin@bench.example"  # a clinic admin: the audit trail is theirs only
# The admin's authenticator key (admins pass the second sign-in step; the bench computes the
# code from it as their app would). A throwaway local bench database only.
ADMIN_TOTP_KEY = "3132333435363738393031323334353637383930"
MEASURE_SLUG = "nprs"  # the outcome measure the signed-in patient has due (portal page)
PATIENT_EMAIL = "patient1@bench.example"
ITEMS_PER_PROGRAM = 4
HANDOUT_ITEMS = 6
HANDOUT_TITLE = "Bench handout: 6 exercises"
YEAR = 365
FIRST_NAMES = [
    "Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas",
    "Kira", "Luis", "Maya", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tess",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Garcia", "Müller", "Rossi", "Novak", "Kim", "Okafor", "Silva", "Jensen", "Khan",
    "Dubois", "Nagy", "Costa", "Berg", "Ivanova", "Park", "Moreau", "Lopez", "Sato", "Walsh",
    "Haddad", "Fischer", "Romero", "Popescu", "Larsen", "Mendes", "Kowalski", "Adeyemi",
    "Nguyen", "Brennan", "Yilmaz", "Horvat", "Eriksen", "Tanaka", "Ferreira", "Schmidt",
    "Olsen", "Petrov", "Ali", "Hughes",
]  # fmt: skip


@dataclass
class Dataset:
    patients: int
    therapists: int
    logs: int
    clinic_id: int
    patient_id: int  # the patient with a year of daily logs (signs in)
    program_id: int  # that patient's program
    item_id: int  # one of its items
    exercise_id: int  # a library exercise (catalog page)
    handout_program_id: int  # a 6-exercise program (the PDF handout)
    measure_assignment_id: int  # an outcome measure due for that patient (portal page)
    therapist_id: int
    admin_id: int  # a clinic admin (the audit trail)
    token: str  # the therapist's API token
    patient_token: str

    def as_dict(self):
        return asdict(self)


def _fetch(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchall()


def _run(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


def existing(*, patients: int, therapists: int, logs: int) -> Dataset | None:
    """The dataset already in this database, when it was built with the same sizes."""
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        return None
    sizes = (
        Patient.objects.filter(clinic=clinic).count(),
        User.objects.filter(clinic=clinic, role=Role.THERAPIST).count(),
    )
    if sizes != (patients, therapists):
        return None
    logged = _fetch(
        "SELECT count(*) FROM programs_exerciselog WHERE clinic_id = %(c)s", {"c": clinic.pk}
    )[0][0]
    if abs(logged - logs) > ITEMS_PER_PROGRAM * patients:
        return None
    return _describe(clinic, patients=patients, therapists=therapists, logs=logged)


def _describe(clinic, *, patients, therapists, logs) -> Dataset:
    therapist = User.objects.get(email=THERAPIST_EMAIL)
    patient = Patient.objects.get(clinic=clinic, email=PATIENT_EMAIL)
    program = Program.objects.filter(patient=patient).get()
    item = ProgramItem.objects.filter(program=program).order_by("position").first()
    return Dataset(
        patients=patients,
        therapists=therapists,
        logs=logs,
        clinic_id=clinic.pk,
        patient_id=patient.pk,
        program_id=program.pk,
        item_id=item.pk,
        exercise_id=item.exercise_id,
        handout_program_id=_handout_program(clinic, patient, therapist).pk,
        measure_assignment_id=_measure_assignment(clinic, patient, therapist).pk,
        admin_id=admin_user(clinic).pk,
        therapist_id=therapist.pk,
        # knox keeps only a hash: a fresh token for each run (it expires on its own).
        token=get_token_model().objects.create(user=therapist)[1],
        patient_token=get_token_model().objects.create(user=patient.user)[1],
    )


def admin_user(clinic) -> User:
    """The clinic admin who reads the audit trail, with a confirmed authenticator device;
    made once, found again on later runs (a dataset built before the bench had one serves)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_user(
            email=ADMIN_EMAIL,
            password=PASSWORD,
            clinic=clinic,
            role=Role.ADMIN,
            first_name="Bench",
            last_name="Admin",
        )
        TOTPDevice.objects.create(user=admin, key=ADMIN_TOTP_KEY, name="bench", confirmed=True)
    return admin


def admin_code() -> str:
    """The admin's current 6-digit code, as the authenticator app shows it."""
    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(ADMIN_TOTP_KEY), step=30, digits=6)
    return f"{totp.token():06d}"


def _measure_assignment(clinic, patient, therapist):
    """The signed-in patient's outcome measure, due today (the questionnaire page); made once
    (a draft answer started by the page is kept: the page resumes it)."""
    from programs.measures.models import Instrument, MeasureAssignment
    from programs.measures.services import assignment_create

    open_ones = MeasureAssignment.objects.filter(patient=patient, stopped_at__isnull=True)
    found = open_ones.filter(instrument__slug=MEASURE_SLUG).first()
    if found is not None:
        return found
    if not Instrument.objects.filter(clinic__isnull=True, slug=MEASURE_SLUG).exists():
        call_command("load_measures", stdout=io.StringIO())
    instrument = Instrument.objects.visible_to_clinic(clinic.pk).current().get(slug=MEASURE_SLUG)
    return assignment_create(
        patient=patient, instrument=instrument, assigned_by=therapist, starts_on=clinic.today()
    )


def _handout_program(clinic, patient, therapist) -> Program:
    """A draft program of 6 illustrated library exercises for another patient (the PDF
    handout's page); made once, found again on later runs."""
    program = Program.objects.filter(clinic=clinic, title=HANDOUT_TITLE).first()
    if program is not None:
        return program
    other = Patient.objects.filter(clinic=clinic).exclude(pk=patient.pk).order_by("pk").first()
    exercises = [
        exercise
        for exercise in Exercise.objects.filter(clinic__isnull=True, is_active=True).order_by("pk")
        if exercise.is_illustrated
    ][:HANDOUT_ITEMS]
    if len(exercises) < HANDOUT_ITEMS:
        raise RuntimeError("The shared library has too few illustrated exercises for the bench.")
    with transaction.atomic():
        program = program_create(
            clinic=clinic,
            patient=other,
            therapist=therapist,
            title=HANDOUT_TITLE,
            start_date=clinic.today(),
        )
        for exercise in exercises:
            program_item_add(program=program, exercise=exercise)
    return program


def build(*, patients: int, therapists: int, logs: int, log=print) -> Dataset:
    """Replace any bench clinic with a fresh one of these sizes."""
    if patients < 2 or therapists < 1:
        raise ValueError("The bench needs at least 2 patients and 1 therapist.")
    call_command("load_library", stdout=io.StringIO())
    call_command("load_program_templates", stdout=io.StringIO())
    exercises = list(
        Exercise.objects.filter(clinic__isnull=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(exercises) < ITEMS_PER_PROGRAM:
        raise RuntimeError("The shared library has too few exercises for the bench programs.")
    with transaction.atomic():
        _drop_clinic()
        clinic = Clinic.objects.create(name="Bench Physical Therapy", slug=CLINIC_SLUG)
        hashed = make_password(PASSWORD)
        therapist_ids = _therapists(clinic, therapists, hashed)
        log(f"  {therapists} therapists")
        first_patient = _patients(clinic, patients, therapist_ids, hashed)
        log(f"  {patients} patients with accounts")
        _programs(clinic, exercises)
        log(f"  {patients} active programs of {ITEMS_PER_PROGRAM} exercises")
        written = _logs(clinic, patients=patients, logs=logs, first_patient=first_patient)
        log(f"  {written} exercise logs")
        _pain_checks(clinic, first_patient)
        disclaimer = disclaimer_publish(
            clinic=clinic,
            kind=DisclaimerKind.MEDICAL,
            title="Before you start",
            body="Stop and call us if an exercise hurts more than agreed.",
        )
        DisclaimerAcceptance.objects.create(
            clinic=clinic, patient_id=first_patient, disclaimer=disclaimer
        )
    # The stored statuses the patient list and the dashboard read (programs/status.py), as
    # the periodic task keeps them.
    _run("ANALYZE")
    log(f"  {refresh_clinic(clinic)} patient statuses")
    # As autovacuum leaves a live database: without it, a rebuilt dataset's million dead
    # rows make the planner probe dead index entries (10-20 ms to plan a simple join).
    _run("VACUUM ANALYZE")
    return _describe(clinic, patients=patients, therapists=therapists, logs=written)


def _drop_clinic():
    """Delete the bench clinic and every row that points at it or at its people (the audit
    trail's append-only trigger is set aside for this one statement's table)."""
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        return
    params = {"c": clinic.pk}
    people = "SELECT id FROM clinic_user WHERE clinic_id = %(c)s"
    for table in (
        "knox_authtoken",
        "clinic_usersession",
        "otp_static_staticdevice",
        "otp_totp_totpdevice",
    ):
        _run(f"DELETE FROM {table} WHERE user_id IN ({people})", params)  # noqa: S608
    _run("ALTER TABLE clinic_auditevent DISABLE TRIGGER clinic_auditevent_append_only")
    _run("DELETE FROM clinic_auditevent WHERE clinic_id = %(c)s", params)
    _run("ALTER TABLE clinic_auditevent ENABLE TRIGGER clinic_auditevent_append_only")
    for table in (
        "programs_patientstatus",
        "programs_attentionreview",
        "programs_measureresponse",
        "programs_measureassignment",
        "programs_sentreminder",
        "programs_delivery",
        "programs_digestpreference",
        "programs_remindersettings",
        "programs_pushsubscription",
        "programs_exerciselog",
        "programs_paincheck",
        "programs_disclaimeracceptance",
        "programs_programitem",
        "programs_program",
        "programs_programtemplateitem",
        "programs_programtemplate",
        "clinic_invitation",
        "exercises_disclaimer",
        "clinic_patient",
        "clinic_user",
    ):
        _run(f"DELETE FROM {table} WHERE clinic_id = %(c)s", params)  # noqa: S608
    _run("DELETE FROM clinic_clinic WHERE id = %(c)s", params)


def _therapists(clinic, count, hashed) -> list[int]:
    _run(
        """
        INSERT INTO clinic_user (password, is_superuser, email, first_name, last_name, role,
                                 is_active, is_staff, date_joined, clinic_id)
        SELECT CASE WHEN i = 1 THEN %(hashed)s ELSE '!' END, false,
               'therapist' || i || '@bench.example', 'Therapist', 'Number ' || i,
               'therapist', true, false, now(), %(c)s
        FROM generate_series(1, %(n)s) AS i
        """,
        {"hashed": hashed, "c": clinic.pk, "n": count},
    )
    return [
        row[0]
        for row in _fetch(
            "SELECT id FROM clinic_user WHERE clinic_id = %(c)s AND role = 'therapist' ORDER BY id",
            {"c": clinic.pk},
        )
    ]


def _patients(clinic, count, therapist_ids, hashed) -> int:
    params = {
        "c": clinic.pk,
        "n": count,
        "hashed": hashed,
        "first": FIRST_NAMES,
        "last": LAST_NAMES,
        "therapists": therapist_ids,
    }
    _run(
        """
        INSERT INTO clinic_user (password, is_superuser, email, first_name, last_name, role,
                                 is_active, is_staff, date_joined, clinic_id)
        SELECT CASE WHEN i = 1 THEN %(hashed)s ELSE '!' END, false,
               'patient' || i || '@bench.example',
               (%(first)s::text[])[1 + i %% cardinality(%(first)s::text[])],
               (%(last)s::text[])[1 + (i / 7) %% cardinality(%(last)s::text[])],
               'patient', true, false, now(), %(c)s
        FROM generate_series(1, %(n)s) AS i
        """,
        params,
    )
    _run(
        """
        INSERT INTO clinic_patient (first_name, last_name, email, is_active, created_at,
                                    clinic_id, primary_therapist_id, user_id)
        SELECT u.first_name, u.last_name, u.email, true, now(), %(c)s,
               (%(therapists)s::bigint[])[1 + (u.id %% cardinality(%(therapists)s::bigint[]))],
               u.id
        FROM clinic_user u WHERE u.clinic_id = %(c)s AND u.role = 'patient' ORDER BY u.id
        """,
        params,
    )
    return Patient.objects.get(clinic=clinic, email=PATIENT_EMAIL).pk


def _programs(clinic, exercises):
    params = {
        "c": clinic.pk,
        "ex": exercises,
        "k": ITEMS_PER_PROGRAM,
        "year": YEAR,
        "today": clinic.today(),
    }
    # Every program starts a year ago: the first patient logs all of it, the others the end.
    _run(
        """
        INSERT INTO programs_program (title, notes, status, start_date, weekdays,
                                      sessions_per_day, max_pain, created_at, updated_at,
                                      clinic_id, patient_id, therapist_id)
        SELECT 'Knee strengthening', '', 'active', %(today)s::date - %(year)s, 127, 1, 5,
               now(), now(), %(c)s, p.id, p.primary_therapist_id
        FROM clinic_patient p WHERE p.clinic_id = %(c)s ORDER BY p.id
        """,
        params,
    )
    _run(
        """
        INSERT INTO programs_programitem (sets, reps, load_unit, band_colour, side, notes,
                                          position, created_at, exercise_id, program_id,
                                          clinic_id)
        SELECT 3, 10, '', '', 'both', '', k,
               pr.start_date::timestamp AT TIME ZONE 'UTC',
               (%(ex)s::bigint[])[1 + (pr.id + k) %% cardinality(%(ex)s::bigint[])],
               pr.id, %(c)s
        FROM programs_program pr CROSS JOIN generate_series(1, %(k)s) AS k
        WHERE pr.clinic_id = %(c)s ORDER BY pr.id, k
        """,
        params,
    )


def _logs(clinic, *, patients, logs, first_patient) -> int:
    """The first patient logs every day of the year; the others share what is left, each
    logging their most recent days (days = base, or base + 1 for the first `extra`).

    As in a real caseload, some of every therapist's patients need attention (the dashboard's
    reasons): one in ten had pain above the limit yesterday, one in ten stopped 6 days ago,
    one in ten checks off only every third day (over three times as many days: every patient
    keeps the same number of logs, so the total is the one asked for)."""
    days_left = max(logs // ITEMS_PER_PROGRAM - YEAR, 0)
    base, extra = divmod(days_left, patients - 1)
    return _run(
        """
        WITH people AS (
            SELECT id, row_number() OVER (ORDER BY id) - 2 AS n
            FROM clinic_patient WHERE clinic_id = %(c)s
        )
        INSERT INTO programs_exerciselog (performed_on, session, completed, sets_done,
                                          reps_done, pain, difficulty, note, created_at,
                                          updated_at, patient_id, program_item_id, clinic_id)
        SELECT %(today)s::date - d - CASE WHEN (people.n / 20) %% 10 = 5 THEN 5 ELSE 0 END,
               1, true, it.sets, it.reps,
               CASE WHEN (people.n / 20) %% 10 = 3 AND d = 1 THEN 7
                    ELSE (d + it.position) %% 5 END,
               (ARRAY['easy', 'about_right', 'hard'])[1 + (d + it.position) %% 3], '',
               now(), now(), pr.patient_id, it.id, %(c)s
        FROM programs_programitem it
        JOIN programs_program pr ON pr.id = it.program_id
        JOIN people ON people.id = pr.patient_id
        CROSS JOIN LATERAL generate_series(
            1,
            CASE WHEN pr.patient_id = %(first)s THEN %(year)s
                 ELSE (%(base)s + CASE WHEN people.n < %(extra)s THEN 1 ELSE 0 END)
                      * CASE WHEN (people.n / 20) %% 10 = 7 THEN 3 ELSE 1 END END
        ) AS d
        WHERE it.clinic_id = %(c)s AND NOT ((people.n / 20) %% 10 = 7 AND d %% 3 <> 0)
        """,
        {
            "c": clinic.pk,
            "first": first_patient,
            "year": YEAR,
            "base": base,
            "extra": extra,
            "today": clinic.today(),
        },
    )


def _pain_checks(clinic, patient_id):
    """A morning pain check every day of the year, today's included (so today's page shows
    today's exercises instead of asking first)."""
    _run(
        """
        INSERT INTO programs_paincheck (checked_on, pain_now, compared_to_before, created_at,
                                        updated_at, clinic_id, patient_id, program_id)
        SELECT %(today)s::date - d, d %% 4, 'same', now(), now(), %(c)s, %(p)s, pr.id
        FROM programs_program pr CROSS JOIN generate_series(0, %(year)s - 1) AS d
        WHERE pr.patient_id = %(p)s
        """,
        {"c": clinic.pk, "p": patient_id, "year": YEAR, "today": clinic.today()},
    )
