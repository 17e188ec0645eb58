"""Progression suggested by the logs (the pain monitoring model: 0-2 safe, up to the program's
limit acceptable, above it too much, and the next morning must settle).

Pure functions over rows already loaded: the builder and the dashboard load the logs and pain
checks in their own bounded queries and ask here. Never automatic: the therapist decides.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exercises.models import MasteryFeel, ProgressionStep
from programs.models import ComparedToBefore, Difficulty, PainCheck, ProgramStatus

READY = "ready"
EASE_OFF = "ease_off"
EASE_OFF_LOOKBACK = 3  # sessions
EASE_OFF_ABOVE_LIMIT = 2  # of those, above the program's pain limit
READINESS_WINDOW_DAYS = 14  # morning answers looked at

_FEEL_RANK = {Difficulty.EASY: 0, Difficulty.ABOUT_RIGHT: 1, Difficulty.HARD: 2}
_FEEL_LIMIT = {MasteryFeel.EASY: 0, MasteryFeel.ABOUT_RIGHT: 1}


@dataclass(frozen=True)
class Readiness:
    status: str  # READY or EASE_OFF
    evidence: str
    logs: tuple  # the sessions the decision rests on (newest first)

    @property
    def is_ready(self) -> bool:
        return self.status == READY

    @property
    def is_ease_off(self) -> bool:
        return self.status == EASE_OFF


def short_day(day) -> str:
    """“Tue 3 Nov”: enough to find the log, in the active language."""
    return date_format(day, "D j M")


def _sessions(logs):
    """Completed logs, newest session first."""
    done = [log for log in logs if log.completed]
    return sorted(done, key=lambda log: (log.performed_on, log.session), reverse=True)


def _worse_mornings_after(sessions, worse_days) -> list:
    return [log for log in sessions if log.performed_on + timedelta(days=1) in worse_days]


def ease_off(sessions, *, max_pain: int, worse_days) -> Readiness | None:
    """Pain above the program's limit in 2 of the last 3 sessions, or the morning after the
    newest session was "worse"."""
    recent = sessions[:EASE_OFF_LOOKBACK]
    above = [log for log in recent if log.pain is not None and log.pain > max_pain]
    if len(above) >= EASE_OFF_ABOVE_LIMIT:
        return Readiness(
            EASE_OFF,
            _("Pain above %(limit)s in %(n)d of the last %(of)d sessions (%(pains)s).")
            % {
                "limit": max_pain,
                "n": len(above),
                "of": len(recent),
                "pains": ", ".join(f"{log.pain}/10" for log in above),
            },
            tuple(recent),
        )
    if recent and _worse_mornings_after(recent[:1], worse_days):
        return Readiness(
            EASE_OFF,
            _("The next morning was worse after the session of %(day)s.")
            % {"day": short_day(recent[0].performed_on)},
            tuple(recent[:1]),
        )
    return None


def _meets(log, step: ProgressionStep, item) -> bool:
    min_sets = step.mastery_sets or item.sets
    min_reps = step.mastery_reps or item.reps
    if log.sets_done is None or log.sets_done < min_sets:
        return False
    if log.reps_done is None or log.reps_done < min_reps:
        return False
    if log.pain is None or log.pain > step.mastery_max_pain:
        return False
    feel = _FEEL_RANK.get(log.difficulty)
    return feel is not None and feel <= _FEEL_LIMIT.get(step.mastery_feels, 0)


def ready(sessions, *, step: ProgressionStep, item, worse_days) -> Readiness | None:
    """The step's mastery rule met by each of the last N sessions: at least the sets and
    repetitions (the rule's, or the prescription's), the hold prescribed, pain at most the
    rule's, felt no harder than the rule allows, and no "worse" morning after any of them."""
    needed = step.mastery_sessions
    recent = sessions[:needed]
    if len(recent) < needed or not all(_meets(log, step, item) for log in recent):
        return None
    if step.mastery_hold_seconds and (item.hold_seconds or 0) < step.mastery_hold_seconds:
        return None
    if step.mastery_morning_not_worse and _worse_mornings_after(recent, worse_days):
        return None
    worst_feel = max(recent, key=lambda log: _FEEL_RANK[log.difficulty]).get_difficulty_display()
    evidence = ngettext(
        "Last session: %(sets)d × %(reps)d, pain at most %(pain)d, felt %(feel)s.",
        "Last %(n)d sessions: %(sets)d × %(reps)d, pain at most %(pain)d, felt %(feel)s.",
        needed,
    ) % {
        "n": needed,
        "sets": min(log.sets_done for log in recent),
        "reps": min(log.reps_done for log in recent),
        "pain": max(log.pain for log in recent),
        "feel": str(worst_feel).lower(),
    }
    return Readiness(READY, evidence, tuple(recent))


def item_readiness(item, *, step, logs, max_pain: int, worse_days) -> Readiness | None:
    """Ease off first (safety), else ready by the step's rule, else nothing to suggest.

    `logs` are the item's logs (any order, at least the last few sessions), `worse_days` the
    set of days the patient answered "worse" to the morning question."""
    sessions = _sessions(logs)
    if not sessions:
        return None
    caution = ease_off(sessions, max_pain=max_pain, worse_days=worse_days)
    if caution is not None:
        return caution
    if step is None:
        return None
    return ready(sessions, step=step, item=item, worse_days=worse_days)


def worse_days_of(pain_checks) -> set:
    return {
        check.checked_on
        for check in pain_checks
        if check.compared_to_before == ComparedToBefore.WORSE
    }


def readiness_for_program(program, current_items, today) -> None:
    """Set `item.readiness` on each current item of the program page (or the API) from the
    logs already prefetched as `item.recent_logs` and `item.neighbours` (one query: the
    patient's morning answers of the last two weeks). Only active programs get suggestions."""
    for item in current_items:
        item.readiness = None
    if program.status != ProgramStatus.ACTIVE or not current_items:
        return
    worse = worse_days_of(
        PainCheck.objects.filter(
            clinic_id=program.clinic_id,
            patient_id=program.patient_id,
            checked_on__range=(today - timedelta(days=READINESS_WINDOW_DAYS), today),
        ).only("checked_on", "compared_to_before")
    )
    for item in current_items:
        neighbours = item.neighbours
        item.readiness = item_readiness(
            item,
            step=neighbours.current if neighbours.next is not None else None,
            logs=item.recent_logs,
            max_pain=program.max_pain,
            worse_days=worse,
        )


def readiness_by_item(program, today) -> dict:
    """{item id: Readiness or None} for the program's current items (the API's items list):
    four queries (items with their newest logs, series steps, morning answers)."""
    from programs.selectors import program_items_for_page, progression_neighbours_for

    items = [item for item in program_items_for_page(program) if item.is_current]
    neighbours = progression_neighbours_for([item.exercise_id for item in items], program.clinic)
    for item in items:
        item.neighbours = neighbours[item.exercise_id]
    readiness_for_program(program, items, today)
    return {item.pk: item.readiness for item in items}
