"""Progression series: the ladder page, and admins building and reordering series."""

import pytest
from django.urls import reverse

from exercises.models import ProgressionSeries
from tests.factories import (
    ExerciseFactory,
    LibraryExerciseFactory,
    SeriesFactory,
    StepFactory,
)


def ladder(series):
    return list(series.steps.order_by("position").values_list("exercise__name", "position"))


@pytest.fixture
def three_steps(clinic):
    series = SeriesFactory(clinic=clinic, name="Bridge ladder")
    for position, name in enumerate(["Bridge", "Single-leg bridge", "Ball bridge"], start=1):
        StepFactory(
            series=series,
            exercise=ExerciseFactory(clinic=clinic, name=name),
            position=position,
            advance_when=f"Criterion {position}",
        )
    return series


def test_series_page_shows_the_ladder_in_order(client_for, therapist, three_steps):
    page = client_for(therapist).get(three_steps.get_absolute_url()).content.decode()
    positions = [page.index(name) for name in ["Bridge</a>", "Single-leg bridge", "Ball bridge"]]
    assert positions == sorted(positions)
    assert "Criterion 2" in page


def test_series_list_shows_library_and_clinic_series(client_for, therapist, three_steps):
    SeriesFactory(clinic=None, name="Library ladder")
    page = client_for(therapist).get(reverse("catalog:series_list")).content.decode()
    assert "Library ladder" in page and "Bridge ladder" in page


def test_admin_creates_a_series_and_adds_steps(client_for, clinic_admin, clinic):
    library_bridge = LibraryExerciseFactory(name="Library bridge")
    own = ExerciseFactory(clinic=clinic, name="Our bridge")
    client = client_for(clinic_admin)
    response = client.post(reverse("catalog:series_create"), {"name": "Our ladder"})
    series = ProgressionSeries.objects.get(clinic=clinic)
    assert response.url == reverse("catalog:series_edit", args=[series.pk])
    add = reverse("catalog:series_step_add", args=[series.pk])
    client.post(add, {"exercise": library_bridge.pk, "advance_when": "15 reps"})
    client.post(add, {"exercise": own.pk, "advance_when": ""})
    assert ladder(series) == [("Library bridge", 1), ("Our bridge", 2)]
    assert series.steps.get(position=1).advance_when == "15 reps"


def test_same_exercise_twice_in_a_series_is_a_form_error(client_for, clinic_admin, three_steps):
    first = three_steps.steps.get(position=1).exercise
    response = client_for(clinic_admin).post(
        reverse("catalog:series_step_add", args=[three_steps.pk]), {"exercise": first.pk}
    )
    assert response.status_code == 400
    assert "already a step of this series" in response.content.decode()
    assert three_steps.steps.count() == 3


def test_archived_exercises_cannot_be_added(client_for, clinic_admin, clinic):
    series = SeriesFactory(clinic=clinic)
    archived = ExerciseFactory(clinic=clinic, is_active=False)
    response = client_for(clinic_admin).post(
        reverse("catalog:series_step_add", args=[series.pk]), {"exercise": archived.pk}
    )
    assert response.status_code == 400
    assert not series.steps.exists()


def test_duplicate_series_name_is_a_form_error(client_for, clinic_admin, three_steps):
    response = client_for(clinic_admin).post(
        reverse("catalog:series_create"), {"name": "Bridge Ladder"}
    )
    assert response.status_code == 400
    assert "already has a progression series" in response.content.decode()


@pytest.mark.parametrize(
    ("position", "direction", "expected"),
    [
        (2, "up", ["Single-leg bridge", "Bridge", "Ball bridge"]),
        (2, "down", ["Bridge", "Ball bridge", "Single-leg bridge"]),
        (1, "up", ["Bridge", "Single-leg bridge", "Ball bridge"]),  # already first
        (3, "down", ["Bridge", "Single-leg bridge", "Ball bridge"]),  # already last
    ],
)
def test_move_steps_up_and_down(
    client_for, clinic_admin, three_steps, position, direction, expected
):
    step = three_steps.steps.get(position=position)
    response = client_for(clinic_admin).post(
        reverse("catalog:series_step_move", args=[three_steps.pk, step.pk]),
        {"direction": direction},
    )
    assert response.status_code == 302
    assert ladder(three_steps) == list(zip(expected, [1, 2, 3], strict=True))
    # The criterion travels with its step.
    assert three_steps.steps.get(exercise=step.exercise).advance_when == f"Criterion {position}"


def test_a_bad_move_direction_changes_nothing(client_for, clinic_admin, three_steps):
    step = three_steps.steps.get(position=2)
    client_for(clinic_admin).post(
        reverse("catalog:series_step_move", args=[three_steps.pk, step.pk]),
        {"direction": "sideways"},
    )
    assert [name for name, _ in ladder(three_steps)] == [
        "Bridge",
        "Single-leg bridge",
        "Ball bridge",
    ]


def test_remove_a_step_closes_the_gap(client_for, clinic_admin, three_steps):
    step = three_steps.steps.get(position=1)
    client_for(clinic_admin).post(
        reverse("catalog:series_step_remove", args=[three_steps.pk, step.pk])
    )
    assert ladder(three_steps) == [("Single-leg bridge", 1), ("Ball bridge", 2)]
    assert step.exercise.__class__.objects.filter(pk=step.exercise_id).exists()


def test_edit_a_step_criterion(client_for, clinic_admin, three_steps):
    step = three_steps.steps.get(position=3)
    client_for(clinic_admin).post(
        reverse("catalog:series_step_edit", args=[three_steps.pk, step.pk]),
        {f"step-{step.pk}-advance_when": "Hold 10 seconds, 10 times."},
    )
    step.refresh_from_db()
    assert step.advance_when == "Hold 10 seconds, 10 times."


def test_admins_edit_the_mastery_rule_of_their_own_series(client_for, clinic_admin, three_steps):
    step = three_steps.steps.get(position=1)
    prefix = f"step-{step.pk}"
    client_for(clinic_admin).post(
        reverse("catalog:series_step_edit", args=[three_steps.pk, step.pk]),
        {
            f"{prefix}-advance_when": "Build up to 2 sets of 12, for 4 sessions in a row.",
            f"{prefix}-mastery_sessions": "4",
            f"{prefix}-mastery_sets": "2",
            f"{prefix}-mastery_reps": "12",
            f"{prefix}-mastery_max_pain": "3",
            f"{prefix}-mastery_feels": "about_right",
            f"{prefix}-mastery_morning_not_worse": "on",
        },
    )
    step.refresh_from_db()
    assert (step.mastery_sessions, step.mastery_sets, step.mastery_reps) == (4, 2, 12)
    assert (step.mastery_max_pain, step.mastery_feels) == (3, "about_right")
    assert step.rule_text.startswith("2 × 12, pain at most 3/10, feels about right")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mastery_max_pain", "11", "less than or equal to 10"),
        ("mastery_sessions", "0", "greater than or equal to 1"),
        ("mastery_sessions", "15", "less than or equal to 14"),
        ("mastery_feels", "hard", "Select a valid choice"),
        ("mastery_reps", "many", "Enter a whole number"),
    ],
)
def test_a_bad_rule_is_a_form_error(client_for, clinic_admin, three_steps, field, value, message):
    step = three_steps.steps.get(position=1)
    prefix = f"step-{step.pk}"
    response = client_for(clinic_admin).post(
        reverse("catalog:series_step_edit", args=[three_steps.pk, step.pk]),
        {f"{prefix}-advance_when": "x", f"{prefix}-{field}": value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    step.refresh_from_db()
    assert step.advance_when == "Criterion 1"


def test_a_step_of_another_series_is_404(client_for, clinic_admin, three_steps, clinic):
    other_series = SeriesFactory(clinic=clinic)
    foreign_step = StepFactory(series=other_series, position=1)
    url = reverse("catalog:series_step_remove", args=[three_steps.pk, foreign_step.pk])
    assert client_for(clinic_admin).post(url).status_code == 404
    assert other_series.steps.count() == 1


def test_manage_page_works_without_javascript(client_for, clinic_admin, three_steps):
    page = client_for(clinic_admin).get(reverse("catalog:series_edit", args=[three_steps.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="direction" value="up"') == 2
    assert html.count('name="direction" value="down"') == 2
    assert "<script>" not in html and 'style="' not in html


def test_step_choices_say_whose_exercise_it_is(client_for, clinic_admin, clinic):
    original = LibraryExerciseFactory(name="Bridge")
    ExerciseFactory(clinic=clinic, name="Bridge", slug=original.slug)
    series = SeriesFactory(clinic=clinic)
    page = client_for(clinic_admin).get(reverse("catalog:series_edit", args=[series.pk]))
    html = page.content.decode()
    assert "Bridge (library)" in html and "Bridge (our clinic)" in html
