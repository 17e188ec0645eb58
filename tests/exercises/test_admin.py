"""The Django admin, where platform staff curate the library."""

import pytest
from django.urls import reverse

from exercises.models import Disclaimer, ProgressionSeries
from tests.factories import (
    DisclaimerFactory,
    LibraryExerciseFactory,
    SeriesFactory,
    StepFactory,
    SuperuserFactory,
)


@pytest.fixture
def staff_client(client, db):
    client.force_login(SuperuserFactory())
    return client


def test_exercises_cannot_be_deleted_in_the_admin(staff_client):
    exercise = LibraryExerciseFactory()
    change = staff_client.get(reverse("admin:exercises_exercise_change", args=[exercise.pk]))
    assert change.status_code == 200
    assert (
        reverse("admin:exercises_exercise_delete", args=[exercise.pk])
        not in change.content.decode()
    )
    delete = staff_client.post(
        reverse("admin:exercises_exercise_delete", args=[exercise.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    exercise.refresh_from_db()
    changelist = staff_client.get(reverse("admin:exercises_exercise_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_published_disclaimers_are_read_only(staff_client):
    disclaimer = DisclaimerFactory(clinic=None, body="Original.")
    url = reverse("admin:exercises_disclaimer_change", args=[disclaimer.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="body"' not in page  # shown, not editable
    staff_client.post(url, {"title": "X", "body": "Rewritten.", "kind": "medical"})
    disclaimer.refresh_from_db()
    assert disclaimer.body == "Original."


def test_adding_a_disclaimer_in_the_admin_publishes_the_next_version(staff_client):
    DisclaimerFactory(clinic=None, kind="medical", version=1)
    response = staff_client.post(
        reverse("admin:exercises_disclaimer_add"),
        {"kind": "medical", "title": "Medical disclaimer", "body": "Version two."},
    )
    assert response.status_code == 302
    assert Disclaimer.objects.get(body="Version two.").version == 2


def test_reordering_steps_in_the_admin_swaps_positions(staff_client):
    series = SeriesFactory(clinic=None, name="Ladder")
    first = StepFactory(series=series, exercise=LibraryExerciseFactory(name="A"), position=1)
    second = StepFactory(series=series, exercise=LibraryExerciseFactory(name="B"), position=2)
    prefix = "steps"
    data = {
        "name": "Ladder",
        "slug": series.slug,
        "description": "",
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-INITIAL_FORMS": "2",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": first.pk,
        f"{prefix}-0-series": series.pk,
        f"{prefix}-0-position": "2",
        f"{prefix}-0-exercise": first.exercise_id,
        f"{prefix}-0-advance_when": "First",
        f"{prefix}-1-id": second.pk,
        f"{prefix}-1-series": series.pk,
        f"{prefix}-1-position": "1",
        f"{prefix}-1-exercise": second.exercise_id,
        f"{prefix}-1-advance_when": "Second",
        f"{prefix}-2-series": series.pk,
    }
    response = staff_client.post(
        reverse("admin:exercises_progressionseries_change", args=[series.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    steps = ProgressionSeries.objects.get(pk=series.pk).steps.order_by("position")
    assert list(steps.values_list("exercise__name", "position", "advance_when")) == [
        ("B", 1, "Second"),
        ("A", 2, "First"),
    ]


def test_clinic_admins_cannot_open_the_django_admin(client_for, clinic_admin):
    response = client_for(clinic_admin).get(reverse("admin:exercises_exercise_changelist"))
    assert response.status_code == 302
