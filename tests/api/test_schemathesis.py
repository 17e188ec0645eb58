"""Fuzz every operation of the OpenAPI schema against the WSGI app (no server), and call each
operation once with a request known to be valid.

Each call runs with a real token: a patient's for /me/, a clinic admin's for catalog writes,
a therapist's for everything else. In the fuzzing, generated ids are mostly swapped for ids of
rows that exist (and sometimes left random), so calls get past the 404s and reach the
services. Checks: no 5xx, statuses, headers and bodies as the schema says. A run without valid
auth "passes" while testing nothing, so each operation's fuzzing must reach 2xx at least
once, and each operation is also called once with a valid request (VALID_CALLS), which must
answer 2xx and match the schema. Every test builds its own rows through fixtures; none
depends on another having run.
"""

import json
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from tests.conftest import token_client
from tests.factories import TEST_PASSWORD

MAX_EXAMPLES = 12

# The served schema is for signed-in people only, and no one is signed in at import time: build
# the same document the /api/schema/ view serves, and point schemathesis at the WSGI app.
_document = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(_document)))
schema.app = get_wsgi_application()
schema.location = "/api/schema/"
schema.config.generation.update(allow_x00=False, codec="utf-8")

CATALOG_WRITES = ("/api/v1/exercises/", "/api/v1/disclaimers/")
# Checks off by design: business rules (a completed program cannot be paused, wrong
# credentials, ...) answer 400 to schema-valid input, and schema-invalid input is not always
# refused (extra query parameters are ignored).
EXCLUDED_CHECKS = [
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
]
ADMIN_ONLY = ("/api/v1/team/",)


@pytest.fixture
def wsgi_keeps_connection():
    """The WSGI handler closes the database connection after each request, which on
    PostgreSQL would close the test's transaction; keep it open during the run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_settings(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute", "token": None},
    }


def header(user) -> str:
    return token_client(user)._credentials["HTTP_AUTHORIZATION"]


@pytest.fixture
def tokens(therapist, clinic_admin, patient, accepted):
    """Authorization headers by role; paula has passed the disclaimer gate."""
    return {
        "therapist": header(therapist),
        "admin": header(clinic_admin),
        "patient": header(patient.user),
    }


@pytest.fixture
def every_row(
    library_series,
    single_leg_bridge,
    band,
    clinic_exercise,
    clinic_series,
    clinic_affiliate_disclaimer,
    medical_disclaimer,
    accepted,
    active_program,
    item,
    single_leg_item,
    todays_log,
    draft_program,
    clinic_template,
    invitee,
    patient,
    instrument,
    spare_instrument,
    assignment,
):
    """One of every row an operation takes an id of: the fuzzing may call any of them."""
    return SimpleNamespace(**locals())


@pytest.fixture
def fuzz_statuses():
    """The statuses one operation's fuzzing got. At the end at least one must be 2xx: with
    real ids and tokens some calls get through, or the fuzzing tested nothing. (A failure here
    shows as an error at teardown, after all of the operation's examples ran.)"""
    statuses: list[int] = []
    yield statuses
    if statuses and not any(200 <= status < 300 for status in statuses):
        pytest.fail(f"no authenticated call reached 2xx, only {sorted(set(statuses))}")


def real_path_parameters(path: str, w) -> dict:
    if path.startswith("/api/v1/me/measures/"):
        return {"id": w.assignment.pk}
    if path.startswith("/api/v1/patients/{patient_pk}/measures/"):
        return {"patient_pk": w.patient.pk, "id": w.assignment.pk}
    if path.startswith("/api/v1/measures/"):
        return {"id": w.instrument.pk}
    if path.startswith("/api/v1/me/programs/"):
        return {"id": w.active_program.pk}
    if path.startswith("/api/v1/me/logs/"):
        return {"id": w.todays_log.pk}
    if "/items/" in path:
        item = w.single_leg_item if path.endswith("/regress/") else w.item
        return {"program_pk": w.active_program.pk, "id": item.pk}
    if "/logs/" in path:
        return {"program_pk": w.active_program.pk}
    by_prefix = {
        "/api/v1/exercises/": w.clinic_exercise.pk,
        "/api/v1/series/": w.library_series.pk,
        "/api/v1/equipment/": w.band.pk,
        "/api/v1/disclaimers/": w.clinic_affiliate_disclaimer.pk,
        "/api/v1/patients/": w.invitee.pk if "invitation" in path else w.patient.pk,
        "/api/v1/programs/": w.draft_program.pk if "activate" in path else w.active_program.pk,
        "/api/v1/templates/": w.clinic_template.pk,
        "/api/v1/team/": w.active_program.therapist_id,
    }
    for prefix, pk in by_prefix.items():
        if path.startswith(prefix):
            return {"id": pk}
    return {}


def real_body_ids(w, therapist) -> dict:
    return {
        "patient": w.patient.pk,
        "exercise": w.clinic_exercise.pk,
        "template": w.clinic_template.pk,
        "program_item": w.item.pk,
        "therapist": therapist.pk,
        "primary_therapist": therapist.pk,
        "disclaimer": w.medical_disclaimer.pk,
        "instrument": w.spare_instrument.pk,
    }


def keeps_generated(value) -> bool:
    """One generated id in seven stays as it is (mostly an unknown id: the 404 path)."""
    return not isinstance(value, int) or isinstance(value, bool) or value % 7 == 3


def aim(case, w, therapist) -> None:
    """Swap most generated ids for real ones, and most sign-ins for a real password."""
    real = real_path_parameters(case.operation.path, w)
    for name, value in (case.path_parameters or {}).items():
        if name in real and not keeps_generated(value):
            case.path_parameters[name] = real[name]
    if isinstance(case.body, dict):
        ids = real_body_ids(w, therapist)
        for name, value in list(case.body.items()):
            if name in ids and not keeps_generated(value):
                case.body[name] = ids[name]
            if name == "equipment" and isinstance(value, list) and len(value) % 7 != 3:
                case.body[name] = [w.band.pk]
        if case.operation.path.endswith("/answer/") and len(case.body) % 7 != 3:
            case.body.update(version=1, answers={"q1": 1, "q2": 2})
        if case.operation.path == "/api/v1/auth/token/" and len(case.body) % 7 != 3:
            case.body.update(email=therapist.email, password=TEST_PASSWORD)


def role_for(path: str, method: str) -> str:
    if path.startswith("/api/v1/me/"):
        return "patient"
    if method.upper() != "GET" and path.startswith(CATALOG_WRITES):
        return "admin"
    if path.startswith(ADMIN_ONLY) or path.endswith(("/deactivate/", "/reactivate/")):
        return "admin"
    return "therapist"


@pytest.mark.usefixtures("wsgi_keeps_connection", "fuzz_settings")
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, every_row, therapist, tokens, fuzz_statuses):
    aim(case, every_row, therapist)
    role = role_for(case.operation.path, case.method)
    response = case.call_and_validate(
        headers={"Authorization": tokens[role]}, excluded_checks=EXCLUDED_CHECKS
    )
    if case.method.upper() == case.operation.method.upper():  # not the 405 check
        fuzz_statuses.append(response.status_code)


def ids(**names):
    """Path parameters from fixtures by name: ids(id="item") -> {"id": item.pk}."""
    return lambda f: {parameter: f[fixture].pk for parameter, fixture in names.items()}


def item_ids(fixture):
    return lambda f: {"program_pk": f[fixture].program_id, "id": f[fixture].pk}


PROGRAM = ids(id="active_program")
PROGRAM_ITEMS = ids(program_pk="active_program")

# One valid request per operation: (path parameters, body, rows it relies on without naming).
VALID_CALLS = {
    "POST /api/v1/auth/token/": (
        None,
        lambda f: {"email": f.therapist.email, "password": TEST_PASSWORD},
        [],
    ),
    "DELETE /api/v1/auth/token/": (None, None, []),
    "POST /api/v1/auth/logout/": (None, None, []),
    "POST /api/v1/auth/logout-all/": (None, None, []),
    "GET /api/v1/auth/user/": (None, None, []),
    "GET /api/v1/disclaimers/": (None, None, ["clinic_affiliate_disclaimer"]),
    "POST /api/v1/disclaimers/": (
        None,
        lambda f: {"kind": "medical", "title": "Read me", "body": "Education only."},
        [],
    ),
    "GET /api/v1/disclaimers/{id}/": (ids(id="clinic_affiliate_disclaimer"), None, []),
    "GET /api/v1/disclaimers/current/": (None, None, ["clinic_affiliate_disclaimer"]),
    "GET /api/v1/equipment/": (None, None, ["band"]),
    "GET /api/v1/equipment/{id}/": (ids(id="band"), None, []),
    "GET /api/v1/exercises/": (None, None, ["bridge_series", "clinic_exercise"]),
    "POST /api/v1/exercises/": (
        None,
        lambda f: {
            "name": "Clam shell",
            "summary": "Open the knees.",
            "instructions": ["Lie on your side.", "Open the top knee."],
            "position": "side_lying",
            "starting_position": "On your side, knees bent.",
            "equipment": [f.band.pk],
        },
        [],
    ),
    "GET /api/v1/exercises/{id}/": (ids(id="clinic_exercise"), None, []),
    "PATCH /api/v1/exercises/{id}/": (
        ids(id="clinic_exercise"),
        lambda f: {"summary": "Slide the heel slowly."},
        [],
    ),
    "POST /api/v1/exercises/{id}/archive/": (ids(id="clinic_exercise"), None, []),
    "POST /api/v1/exercises/{id}/restore/": (ids(id="clinic_exercise"), None, []),
    "GET /api/v1/me/disclaimer/": (None, None, []),
    "POST /api/v1/me/disclaimer/": (None, lambda f: {"disclaimer": f.medical_disclaimer.pk}, []),
    "GET /api/v1/me/logs/": (None, None, ["todays_log"]),
    "POST /api/v1/me/logs/": (None, lambda f: {"program_item": f.item.pk, "pain": 2}, []),
    "GET /api/v1/me/logs/{id}/": (ids(id="todays_log"), None, []),
    "PATCH /api/v1/me/logs/{id}/": (ids(id="todays_log"), lambda f: {"pain": 3}, []),
    "DELETE /api/v1/me/logs/{id}/": (ids(id="todays_log"), None, []),
    "POST /api/v1/me/logs/undo/": (None, lambda f: {"program_item": f.item.pk}, ["todays_log"]),
    "GET /api/v1/me/pain-checks/": (None, None, []),
    "POST /api/v1/me/pain-checks/": (
        None,
        lambda f: {"pain_now": 2, "compared_to_before": "same"},
        ["item"],
    ),
    "GET /api/v1/me/programs/": (None, None, ["item"]),
    "GET /api/v1/me/programs/{id}/": (PROGRAM, None, ["item"]),
    "GET /api/v1/me/today/": (None, None, ["todays_log"]),
    "GET /api/v1/patients/": (None, None, []),
    "POST /api/v1/patients/": (
        None,
        lambda f: {"first_name": "Nia", "last_name": "New", "email": "nia@example.org"},
        [],
    ),
    "GET /api/v1/patients/{id}/": (ids(id="patient"), None, []),
    "POST /api/v1/patients/{id}/deactivate/": (ids(id="patient"), None, []),
    "POST /api/v1/patients/{id}/reactivate/": (ids(id="patient"), None, []),
    "PATCH /api/v1/patients/{id}/": (ids(id="patient"), lambda f: {"last_name": "Renamed"}, []),
    "POST /api/v1/patients/{id}/invitation/": (ids(id="invitee"), None, []),
    "GET /api/v1/programs/": (None, None, ["active_program"]),
    "POST /api/v1/programs/": (
        None,
        lambda f: {"patient": f.patient.pk, "title": "Knee", "template": f.clinic_template.pk},
        [],
    ),
    "GET /api/v1/programs/{id}/": (PROGRAM, None, ["item"]),
    "PATCH /api/v1/programs/{id}/": (
        PROGRAM,
        lambda f: {"title": "Renamed", "weekdays": [0, 2, 4]},
        [],
    ),
    "POST /api/v1/programs/{id}/activate/": (ids(id="draft_program"), None, []),
    "GET /api/v1/programs/{id}/adherence/": (PROGRAM, None, ["todays_log"]),
    "POST /api/v1/programs/{id}/complete/": (PROGRAM, None, []),
    "POST /api/v1/programs/{id}/copy/": (PROGRAM, None, ["item"]),
    "POST /api/v1/programs/{id}/pause/": (PROGRAM, None, []),
    "POST /api/v1/programs/{id}/save-as-template/": (
        PROGRAM,
        lambda f: {"name": "From the API"},
        ["item"],
    ),
    "GET /api/v1/programs/{program_pk}/items/": (PROGRAM_ITEMS, None, ["item"]),
    "POST /api/v1/programs/{program_pk}/items/": (
        PROGRAM_ITEMS,
        lambda f: {"exercise": f.clinic_exercise.pk, "sets": 3},
        [],
    ),
    "GET /api/v1/programs/{program_pk}/items/{id}/": (item_ids("item"), None, []),
    "PATCH /api/v1/programs/{program_pk}/items/{id}/": (
        item_ids("item"),
        lambda f: {"reps": 12},
        [],
    ),
    "DELETE /api/v1/programs/{program_pk}/items/{id}/": (item_ids("item"), None, []),
    "POST /api/v1/programs/{program_pk}/items/{id}/move/": (
        item_ids("item"),
        lambda f: {"direction": "down"},
        ["single_leg_item"],
    ),
    "POST /api/v1/programs/{program_pk}/items/{id}/progress/": (item_ids("item"), None, []),
    "POST /api/v1/programs/{program_pk}/items/{id}/regress/": (
        item_ids("single_leg_item"),
        None,
        [],
    ),
    "GET /api/v1/programs/{program_pk}/logs/": (PROGRAM_ITEMS, None, ["todays_log"]),
    "GET /api/v1/series/": (None, None, ["library_series", "clinic_series"]),
    "GET /api/v1/series/{id}/": (ids(id="library_series"), None, []),
    "GET /api/v1/templates/": (None, None, ["clinic_template"]),
    "GET /api/v1/templates/{id}/": (ids(id="clinic_template"), None, []),
    "GET /api/v1/team/": (None, None, []),
    "GET /api/v1/dashboard/": (None, None, ["active_program"]),
    "POST /api/v1/patients/{id}/review/": (
        ids(id="patient"),
        lambda f: {"kind": "low_adherence"},
        [],
    ),
    "GET /api/v1/me/reminders/": (None, None, ["active_program"]),
    "PUT /api/v1/me/reminders/": (
        None,
        lambda f: {"enabled": True, "time": "08:30", "by_email": True, "by_push": False},
        ["active_program"],
    ),
    "PATCH /api/v1/me/reminders/": (None, lambda f: {"time": "18:00"}, ["active_program"]),
    "GET /api/v1/team/{id}/": (ids(id="therapist"), None, []),
    "POST /api/v1/team/{id}/deactivate/": (ids(id="therapist"), None, []),
    "POST /api/v1/team/{id}/reactivate/": (ids(id="therapist"), None, []),
    "GET /api/v1/measures/": (None, None, ["instrument"]),
    "GET /api/v1/measures/{id}/": (ids(id="instrument"), None, []),
    "GET /api/v1/patients/{patient_pk}/measures/": (
        ids(patient_pk="patient"),
        None,
        ["assignment"],
    ),
    "POST /api/v1/patients/{patient_pk}/measures/": (
        ids(patient_pk="patient"),
        lambda f: {"instrument": f.spare_instrument.pk, "starts_on": "2026-03-02"},
        [],
    ),
    "GET /api/v1/patients/{patient_pk}/measures/{id}/": (
        ids(patient_pk="patient", id="assignment"),
        None,
        [],
    ),
    "POST /api/v1/patients/{patient_pk}/measures/{id}/stop/": (
        ids(patient_pk="patient", id="assignment"),
        None,
        [],
    ),
    "GET /api/v1/me/measures/": (None, None, ["assignment"]),
    "GET /api/v1/me/measures/{id}/": (ids(id="assignment"), None, []),
    "POST /api/v1/me/measures/{id}/answer/": (
        ids(id="assignment"),
        lambda f: {"version": 1, "answers": {"q1": 1, "q2": 2, "q3": 3}},
        [],
    ),
}

OPERATIONS = [
    f"{method.upper()} {path}"
    for path, methods in schema.raw_schema["paths"].items()
    for method in methods
    if method != "parameters"
]


def test_every_operation_has_a_valid_call():
    assert sorted(VALID_CALLS) == sorted(OPERATIONS)


@pytest.mark.usefixtures("wsgi_keeps_connection", "fuzz_settings")
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_valid_call_answers_2xx_as_the_schema_says(operation, by_name, tokens):
    method, path = operation.split(" ", 1)
    path_parameters, body, needs = VALID_CALLS[operation]
    for fixture in needs:
        by_name[fixture]
    case = schema[path][method].Case(
        path_parameters=path_parameters(by_name) if path_parameters else None,
        **({"body": body(by_name), "media_type": "application/json"} if body else {}),
    )
    signed_in = operation != "POST /api/v1/auth/token/"
    headers = {"Authorization": tokens[role_for(path, method)]} if signed_in else {}

    response = case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)

    assert 200 <= response.status_code < 300, response.text
