"""Progression suggested by the logs: ready by the step's rule, ease off by the pain model,
and the program page's one-click progress and regress."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exercises.models import MasteryFeel
from programs.models import Difficulty, ProgramItem, ProgramStatus
from programs.readiness import EASE_OFF, READY, item_readiness
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PainCheckFactory,
    ProgramFactory,
    ProgramItemFactory,
    series_of,
)


@pytest.fixture
def ladder(db):
    easy = LibraryExerciseFactory(name="Bridge")
    middle = LibraryExerciseFactory(name="Single-leg bridge")
    hard = LibraryExerciseFactory(name="Ball bridge")
    series = series_of(easy, middle, hard)
    steps = list(series.steps.order_by("position"))
    for step in steps:
        step.mastery_sets, step.mastery_reps = 3, 15
        step.save()
    return steps


@pytest.fixture
def item(clinic, patient, therapist, ladder):
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, exercise=ladder[1].exercise, sets=3, reps=15)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=30))
    item.refresh_from_db()
    return item


GOOD = {"sets_done": 3, "reps_done": 15, "pain": 2, "difficulty": Difficulty.EASY}


def _sessions(item, today, *overrides):
    """One log per override dict, newest first, every other day."""
    logs = []
    for i, override in enumerate(overrides):
        logs.append(
            ExerciseLogFactory(
                program_item=item, performed_on=today - timedelta(days=2 * i), **(GOOD | override)
            )
        )
    return logs


def _readiness(item, ladder, logs, worse_days=()):
    return item_readiness(
        item, step=ladder[1], logs=logs, max_pain=item.program.max_pain, worse_days=set(worse_days)
    )


def test_three_good_sessions_are_ready_with_the_evidence(item, ladder, clinic):
    result = _readiness(item, ladder, _sessions(item, clinic.today(), {}, {}, {}))

    assert result.status == READY
    assert result.evidence == "Last 3 sessions: 3 × 15, pain at most 2, felt easy."


@pytest.mark.parametrize(
    "spoiler",
    [
        {"pain": 3},  # above the rule's 2
        {"pain": None},  # pain not given: no evidence
        {"reps_done": 14},  # below the rule's 15
        {"sets_done": 2},
        {"difficulty": Difficulty.ABOUT_RIGHT},  # the rule asks for easy
        {"difficulty": ""},
    ],
)
def test_one_session_short_of_the_rule_is_not_ready(item, ladder, clinic, spoiler):
    logs = _sessions(item, clinic.today(), {}, spoiler, {})

    assert _readiness(item, ladder, logs) is None


def test_two_sessions_are_not_yet_three_in_a_row(item, ladder, clinic):
    assert _readiness(item, ladder, _sessions(item, clinic.today(), {}, {})) is None


def test_only_the_newest_sessions_count(item, ladder, clinic):
    logs = _sessions(item, clinic.today(), {}, {}, {}, {"pain": 4})

    assert _readiness(item, ladder, logs).status == READY


def test_about_right_is_enough_when_the_rule_allows_it(item, ladder, clinic):
    ladder[1].mastery_feels = MasteryFeel.ABOUT_RIGHT
    logs = _sessions(item, clinic.today(), {"difficulty": Difficulty.ABOUT_RIGHT}, {}, {})

    result = _readiness(item, ladder, logs)

    assert result.status == READY and "felt about right" in result.evidence


def test_a_worse_morning_after_one_of_them_stops_readiness(item, ladder, clinic):
    logs = _sessions(item, clinic.today(), {}, {}, {})
    after_second = logs[1].performed_on + timedelta(days=1)

    assert _readiness(item, ladder, logs, worse_days=[after_second]) is None


def test_the_rule_hold_needs_the_prescribed_hold(item, ladder, clinic):
    ladder[1].mastery_hold_seconds = 5
    logs = _sessions(item, clinic.today(), {}, {}, {})
    assert _readiness(item, ladder, logs) is None

    item.hold_seconds = 5
    assert _readiness(item, ladder, logs).status == READY


def test_an_empty_rule_dose_means_the_prescription(item, ladder, clinic):
    ladder[1].mastery_sets = ladder[1].mastery_reps = None
    item.sets, item.reps = 2, 10
    logs = _sessions(item, clinic.today(), *[{"sets_done": 2, "reps_done": 10}] * 3)

    assert _readiness(item, ladder, logs).evidence.startswith("Last 3 sessions: 2 × 10")


@pytest.mark.parametrize(("pains", "eased"), [((6, 6, 1), True), ((5, 6, 1), False)])
def test_ease_off_when_pain_passed_the_limit_in_two_of_three(item, ladder, clinic, pains, eased):
    logs = _sessions(item, clinic.today(), *[{"pain": pain} for pain in pains])

    result = _readiness(item, ladder, logs)

    assert (result is not None and result.status == EASE_OFF) is eased
    if eased:
        assert "in 2 of the last 3 sessions (6/10, 6/10)" in result.evidence


def test_ease_off_when_the_morning_after_the_newest_session_was_worse(item, ladder, clinic):
    logs = _sessions(item, clinic.today() - timedelta(days=1), {}, {}, {})

    result = _readiness(item, ladder, logs, worse_days=[clinic.today()])

    assert result.status == EASE_OFF and "next morning was worse" in result.evidence


def test_no_logs_no_suggestion(item, ladder):
    assert _readiness(item, ladder, []) is None


# --- The program page ------------------------------------------------------------------------


def test_the_program_page_offers_the_one_click_progress(client_for, therapist, item, clinic):
    _sessions(item, clinic.today(), {}, {}, {})
    client = client_for(therapist)

    page = client.get(item.program.get_absolute_url()).content.decode()

    assert "Ready to progress" in page
    assert "Last 3 sessions: 3 × 15, pain at most 2, felt easy." in page
    assert "Progress to Ball bridge now" in page
    response = client.post(reverse("program_item_next", args=[item.pk]))
    assert response.status_code == 302
    current = item.program.items.get(retired_at__isnull=True)
    assert current.exercise.name == "Ball bridge"
    assert current.replaces_id == item.pk


def test_the_program_page_suggests_easing_off_with_the_regression(
    client_for, therapist, item, clinic
):
    _sessions(item, clinic.today(), {"pain": 7}, {"pain": 8}, {})
    PainCheckFactory(program=item.program, checked_on=clinic.today(), pain_now=1)

    page = client_for(therapist).get(item.program.get_absolute_url()).content.decode()

    assert "Consider easing off" in page
    assert "Regress to Bridge now" in page
    assert "Lower the dose" in page


def test_no_suggestions_on_programs_that_do_not_run(client_for, therapist, item, clinic):
    _sessions(item, clinic.today(), {}, {}, {})
    item.program.status = ProgramStatus.PAUSED
    item.program.save()

    page = client_for(therapist).get(item.program.get_absolute_url()).content.decode()

    assert "Ready to progress" not in page


def test_readiness_costs_the_program_page_one_query(client_for, therapist, item, clinic, ladder):
    client = client_for(therapist)
    url = item.program.get_absolute_url()
    _sessions(item, clinic.today(), {}, {}, {})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for position in range(5, 9):
        more = ProgramItemFactory(
            program=item.program, exercise=ladder[0].exercise, position=position
        )
        _sessions(more, clinic.today(), {}, {})
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(few) == len(many)
