"""The shared library belongs to platform staff: no clinic role changes it, on the web or
through the API, whatever the method (security finding 1: a clinic admin could PATCH,
archive and restore library exercises through the API)."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework.test import APIClient

from exercises.models import Disclaimer, Equipment, Exercise, ProgressionSeries
from tests.factories import (
    LibraryEquipmentFactory,
    LibraryExerciseFactory,
    LibrarySeriesFactory,
    StepFactory,
)

ROLES = ["anonymous", "patient", "therapist", "clinic_admin", "other_clinic_admin"]
PHISHING = {
    "name": "Bridge",
    "video_url": "https://phishing.example/watch",
    "instructions": ["Push through the pain up to 10/10."],
    "summary": "Changed.",
}


@pytest.fixture
def rows(db):
    exercise = LibraryExerciseFactory(name="Bridge", video_url="https://video.example/bridge")
    series = LibrarySeriesFactory(name="Bridge ladder")
    step = StepFactory(series=series, exercise=exercise, position=1, advance_when="Easy.")
    equipment = LibraryEquipmentFactory(name="Mat")
    disclaimer = Disclaimer.objects.create(
        clinic=None, kind="medical", title="Read me", body="Education only.", version=1
    )
    return {
        "exercise": exercise,
        "series": series,
        "step": step,
        "equipment": equipment,
        "disclaimer": disclaimer,
    }


def snapshot(rows):
    """Everything a write could change, rows and relations included."""
    return {
        key: (model_to_dict(row), getattr(row, "updated_at", None))
        for key, row in ((key, type(row).objects.get(pk=row.pk)) for key, row in rows.items())
    } | {
        "counts": (
            Exercise.objects.library().count(),
            ProgressionSeries.objects.library().count(),
            Equipment.objects.library().count(),
            Disclaimer.objects.filter(clinic__isnull=True).count(),
            rows["series"].steps.count(),
        )
    }


@pytest.fixture
def actor(request):
    role = request.param
    if role == "anonymous":
        return None
    person = request.getfixturevalue(role)
    return getattr(person, "user", person)


WEB_WRITES = [
    ("catalog:exercise_edit", "exercise", None, PHISHING),
    ("catalog:exercise_archive", "exercise", None, {}),
    ("catalog:exercise_restore", "exercise", None, {}),
    ("catalog:series_edit", "series", None, {"name": "Taken", "description": "x"}),
    ("catalog:series_step_add", "series", None, {"exercise": "EXERCISE", "advance_when": "x"}),
    ("catalog:series_step_edit", "series", "step", {"advance_when": "Push through pain."}),
    ("catalog:series_step_move", "series", "step", {"direction": "down"}),
    ("catalog:series_step_remove", "series", "step", {}),
    ("catalog:equipment_edit", "equipment", None, {"name": "Taken", "purchase_url": ""}),
]


@pytest.mark.parametrize("actor", ROLES, indirect=True)
@pytest.mark.parametrize(("name", "key", "step_key", "data"), WEB_WRITES)
def test_no_clinic_role_changes_the_library_on_the_web(rows, actor, name, key, step_key, data):
    before = snapshot(rows)
    kwargs = {"pk": rows[key].pk}
    if step_key:
        kwargs["step_pk"] = rows[step_key].pk
    body = {k: rows["exercise"].pk if v == "EXERCISE" else v for k, v in data.items()}
    client = APIClient()
    if actor is not None:
        client.force_login(actor)

    response = client.post(reverse(name, kwargs=kwargs), body)

    expected = {None: 302, "patient": 403, "therapist": 403}.get(getattr(actor, "role", None), 404)
    assert response.status_code == expected
    assert snapshot(rows) == before


API_WRITES = [
    (method, f"/api/v1/{resource}/{{pk}}/{suffix}", key)
    for resource, key in [
        ("exercises", "exercise"),
        ("series", "series"),
        ("equipment", "equipment"),
        ("disclaimers", "disclaimer"),
    ]
    for method, suffix in [("put", ""), ("patch", ""), ("delete", "")]
] + [
    ("post", "/api/v1/exercises/{pk}/archive/", "exercise"),
    ("post", "/api/v1/exercises/{pk}/restore/", "exercise"),
]


def refusal(role, method, url):
    """The exact refusal: signed out 401; a patient 403; a therapist 403 where clinic staff
    may write (exercises, disclaimers) and 405 where nobody may (series, equipment); a clinic
    admin 404 where admins may write (their own exercises; the library's is not among them)
    and 405 for a method the endpoint does not have."""
    if role is None:
        return 401
    if role == "patient":
        return 403
    if role == "therapist":
        return 405 if url.startswith(("/api/v1/series/", "/api/v1/equipment/")) else 403
    if url.startswith("/api/v1/exercises/") and method in ("patch", "post"):
        return 404
    return 405


@pytest.mark.parametrize("actor", ROLES, indirect=True)
@pytest.mark.parametrize(("method", "url", "key"), API_WRITES)
def test_no_clinic_role_changes_the_library_through_the_api(rows, actor, method, url, key):
    rows["exercise"].is_active = not url.endswith("restore/")
    rows["exercise"].save()
    before = snapshot(rows)
    client = APIClient()
    if actor is not None:
        client.force_authenticate(actor)

    response = getattr(client, method)(url.format(pk=rows[key].pk), PHISHING, format="json")

    assert response.status_code == refusal(getattr(actor, "role", None), method, url)
    assert snapshot(rows) == before


@pytest.mark.parametrize("action", ["patch", "archive", "restore"])
def test_a_clinic_admin_gets_404_for_a_library_exercise(rows, clinic_admin, action):
    """The finding itself: the admin's writes look for the exercise among their clinic's own."""
    client = APIClient()
    client.force_authenticate(clinic_admin)
    url = f"/api/v1/exercises/{rows['exercise'].pk}/"

    if action == "patch":
        response = client.patch(url, PHISHING, format="json")
    else:
        response = client.post(f"{url}{action}/")

    assert response.status_code == 404
    assert Exercise.objects.get(pk=rows["exercise"].pk).video_url == "https://video.example/bridge"
