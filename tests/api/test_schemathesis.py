"""Fuzz every operation of the OpenAPI schema against the WSGI app (no server).

Each operation runs with a real token: a patient's for /me/, a clinic admin's for catalog
writes, a therapist's for everything else. Generated ids are mostly swapped for ids of rows
that exist (and sometimes left random), so calls get past the 404s and reach the services.
Checks: no 5xx, statuses, headers and bodies as the schema says. The last test asserts that
authenticated calls really reached 2xx (a run without valid auth "passes" testing nothing).
"""

from collections import defaultdict

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.conftest import token_client
from tests.factories import TEST_PASSWORD

MAX_EXAMPLES = 12

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.generation.update(allow_x00=False, codec="utf-8")

REACHED_2XX: dict[str, int] = defaultdict(int)
CALLED: dict[str, int] = defaultdict(int)
CASES_RUN: list[str] = []
CATALOG_WRITES = ("/api/v1/exercises/", "/api/v1/disclaimers/")


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


@pytest.fixture
def tokens(world, therapist, clinic_admin, patient):
    def key(user):
        return token_client(user)._credentials["HTTP_AUTHORIZATION"]

    return {"therapist": key(therapist), "admin": key(clinic_admin), "patient": key(patient.user)}


def real_path_parameters(path: str, w) -> dict:
    if path.startswith("/api/v1/me/measures/"):
        return {"id": w.assignment.pk}
    if path.startswith("/api/v1/patients/{patient_pk}/measures/"):
        return {"patient_pk": w.program.patient_id, "id": w.assignment.pk}
    if path.startswith("/api/v1/measures/"):
        return {"id": w.instrument.pk}
    if path.startswith("/api/v1/me/programs/"):
        return {"id": w.program.pk}
    if path.startswith("/api/v1/me/logs/"):
        return {"id": w.log.pk}
    if "/items/" in path:
        item = w.middle_item if path.endswith("/regress/") else w.item
        return {"program_pk": w.program.pk, "id": item.pk}
    if "/logs/" in path:
        return {"program_pk": w.program.pk}
    by_prefix = {
        "/api/v1/exercises/": w.clinic_exercise.pk,
        "/api/v1/series/": w.library_series.pk,
        "/api/v1/equipment/": w.band.pk,
        "/api/v1/disclaimers/": w.disclaimer.pk,
        "/api/v1/patients/": w.invitee.pk if "invitation" in path else w.program.patient_id,
        "/api/v1/programs/": w.draft.pk if "activate" in path else w.program.pk,
        "/api/v1/templates/": w.template.pk,
    }
    for prefix, pk in by_prefix.items():
        if path.startswith(prefix):
            return {"id": pk}
    return {}


def real_body_ids(w, therapist) -> dict:
    return {
        "patient": w.program.patient_id,
        "exercise": w.clinic_exercise.pk,
        "template": w.template.pk,
        "program_item": w.item.pk,
        "therapist": therapist.pk,
        "primary_therapist": therapist.pk,
        "disclaimer": w.medical.pk,
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


def token_for(case, tokens) -> str:
    path, method = case.operation.path, case.method.upper()
    if path.startswith("/api/v1/me/"):
        return tokens["patient"]
    if method != "GET" and path.startswith(CATALOG_WRITES):
        return tokens["admin"]
    return tokens["therapist"]


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
def test_api_conforms_to_its_schema(case, world, therapist, tokens):
    aim(case, world, therapist)
    response = case.call_and_validate(
        headers={"Authorization": token_for(case, tokens)},
        # Business rules (a completed program cannot be paused, wrong credentials, ...) answer
        # 400 to schema-valid input, and schema-invalid input is not always refused (extra
        # query parameters are ignored): both are by design, so these two checks are off.
        excluded_checks=[
            schemathesis.checks.negative_data_rejection,
            schemathesis.checks.positive_data_acceptance,
        ],
    )
    CASES_RUN.append(label := f"{case.method.upper()} {case.operation.path}")
    if case.method.upper() != case.operation.method.upper():
        return  # a method the schema does not list (the 405 check)
    CALLED[label] += 1
    if 200 <= response.status_code < 300:
        REACHED_2XX[label] += 1


# Operations whose valid calls hypothesis cannot be expected to find in a few examples.
MAY_MISS_2XX = set()


def test_authenticated_calls_reached_2xx():
    """Runs after the fuzzing above (same module, in order): every operation that was called
    answered 2xx at least once with the real tokens."""
    if not CALLED:
        pytest.skip("run together with test_api_conforms_to_its_schema")
    print(f"schemathesis: {len(CASES_RUN)} cases over {len(CALLED)} operations")
    missed = sorted(set(CALLED) - set(REACHED_2XX) - MAY_MISS_2XX)
    assert not missed, f"never reached 2xx: {missed}"
    assert len(CALLED) == OPERATIONS


OPERATIONS = sum(
    1
    for methods in schema.raw_schema["paths"].values()
    for method in methods
    if method != "parameters"
)
