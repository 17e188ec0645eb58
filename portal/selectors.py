"""Reads of the patient portal, each in a fixed number of queries whatever the number of past
logs.

"Today" is always the clinic's today (`clinic.today()`), passed in by the caller.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch

from clinic.models import Patient
from programs.figures import Adherence
from programs.models import ExerciseLog, PainCheck, Program, ProgramItem
from programs.selectors import program_adherence

HISTORY_WEEKS = 4
STREAK_LOOKBACK_DAYS = 90


# --- A day's exercises -----------------------------------------------------------------------


@dataclass
class Entry:
    """One item in one session of a day, with its log if the patient logged it."""

    item: ProgramItem
    session: int
    day: date
    log: ExerciseLog | None = None

    @property
    def is_done(self) -> bool:
        return self.log is not None and self.log.completed

    @property
    def key(self) -> str:
        """A stable id for the page (htmx swaps and focus keep to it)."""
        return f"entry-{self.item.pk}-{self.session}"


@dataclass
class Session:
    number: int
    entries: list[Entry]


@dataclass
class ProgramDay:
    program: Program
    sessions: list[Session]


@dataclass
class DayPlan:
    day: date
    programs: list[ProgramDay] = field(default_factory=list)
    has_active_program: bool = False

    @property
    def entries(self) -> list[Entry]:
        return [e for p in self.programs for s in p.sessions for e in s.entries]

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def done(self) -> int:
        return sum(1 for entry in self.entries if entry.is_done)

    @property
    def all_done(self) -> bool:
        return self.total > 0 and self.done == self.total

    def entry_for(self, item_id: int, session: int) -> Entry | None:
        return next(
            (e for e in self.entries if e.item.pk == item_id and e.session == session), None
        )


def _active_programs(patient: Patient):
    return Program.objects.active_of_patient(patient).select_related("clinic", "therapist")


def day_plan_for_patient(patient: Patient, day: date) -> DayPlan:
    """The exercises due on `day` from the patient's active programs, per program and session,
    each with that day's log. Three queries: programs, their current items with exercises, and
    that day's logs.

    Due means: the program is active, its schedule (start/end dates, weekdays) includes the day,
    and the item is current and was prescribed on or before the day (clinic time zone).
    """
    programs = list(
        _active_programs(patient)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ProgramItem.objects.current()
                .select_related("exercise")
                .order_by("position", "pk"),
                to_attr="current_items",
            )
        )
        .order_by("start_date", "pk")
    )
    plan = DayPlan(day=day, has_active_program=bool(programs))
    due_items = []
    for program in programs:
        if not program.is_scheduled_on(day):
            continue
        zone = program.clinic.zone
        items = [item for item in program.current_items if item.in_force_on(day, zone)]
        for item in items:
            item.program = program  # already loaded; saves a query per item in templates
        if items:
            due_items.extend(items)
            plan.programs.append(
                ProgramDay(
                    program=program,
                    sessions=[
                        Session(
                            number=number,
                            entries=[Entry(item=item, session=number, day=day) for item in items],
                        )
                        for number in range(1, program.sessions_per_day + 1)
                    ],
                )
            )
    if due_items:
        logs = ExerciseLog.objects.filter(
            clinic_id=patient.clinic_id,
            patient=patient,
            performed_on=day,
            program_item__in=[item.pk for item in due_items],
        )
        by_key = {(log.program_item_id, log.session): log for log in logs}
        for entry in plan.entries:
            entry.log = by_key.get((entry.item.pk, entry.session))
    return plan


# --- History, adherence and streak -----------------------------------------------------------


@dataclass(frozen=True)
class DayRecord:
    day: date
    scheduled: int
    completed: int

    @property
    def is_rest_day(self) -> bool:
        return self.scheduled == 0

    @property
    def is_complete(self) -> bool:
        return self.scheduled > 0 and self.completed >= self.scheduled

    @property
    def status(self) -> str:
        """rest, done, partial or missed."""
        if self.is_rest_day:
            return "rest"
        if self.is_complete:
            return "done"
        return "partial" if self.completed else "missed"


@dataclass
class History:
    today: date
    days: list[DayRecord]  # oldest first, up to today
    adherence: list[Adherence]
    streak: int
    streak_capped: bool
    has_active_program: bool
    started_on: date | None = None  # the earliest start of the active programs

    def weeks(self, count: int = HISTORY_WEEKS) -> list[list[DayRecord]]:
        """The last `count` calendar weeks (Monday first), newest week first, from the first
        program's start on (earlier days are not “rest days”, they are before the program)."""
        monday = self.today - timedelta(days=self.today.weekday())
        first = monday - timedelta(weeks=count - 1)
        by_day = {
            record.day: record
            for record in self.days
            if self.started_on is not None and record.day >= self.started_on
        }
        weeks = []
        for week in range(count):
            start = first + timedelta(weeks=week)
            days = [start + timedelta(days=n) for n in range(7)]
            weeks.append([by_day[d] for d in days if d in by_day])
        return [week for week in reversed(weeks) if week]


def _scheduled_on(programs, day: date) -> int:
    total = 0
    for program in programs:
        if program.is_scheduled_on(day):
            zone = program.clinic.zone
            in_force = sum(1 for item in program.all_items if item.in_force_on(day, zone))
            total += in_force * program.sessions_per_day
    return total


def history_for_patient(patient: Patient, today: date) -> History:
    """Per-day completion over the last weeks, adherence over 7 and 30 days and the current
    streak, for the patient's active programs. Queries: programs, items, logs per day, and one
    per active program for adherence (usually one or two programs).

    The streak counts scheduled days in a row with every check-off done, back from yesterday
    (today joins it once complete; a today still in progress does not break it). Rest days
    neither break nor extend it. It looks back up to 90 days.
    """
    programs = list(
        _active_programs(patient).prefetch_related(
            Prefetch("items", queryset=ProgramItem.objects.order_by("pk"), to_attr="all_items")
        )
    )
    days_back = max(STREAK_LOOKBACK_DAYS, HISTORY_WEEKS * 7 + 6)
    first_day = today - timedelta(days=days_back)
    completed_by_day = dict(
        ExerciseLog.objects.completed()
        .filter(
            clinic_id=patient.clinic_id,
            patient=patient,
            program_item__program__in=[program.pk for program in programs],
            performed_on__range=(first_day, today),
        )
        .values_list("performed_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    records = [
        DayRecord(
            day=first_day + timedelta(days=n),
            scheduled=_scheduled_on(programs, first_day + timedelta(days=n)),
            completed=completed_by_day.get(first_day + timedelta(days=n), 0),
        )
        for n in range(days_back + 1)
    ]

    streak = 0
    broken = False
    for record in reversed(records):
        if record.is_rest_day:
            continue
        if record.is_complete:
            streak += 1
        elif record.day != today:
            broken = True
            break
    windows: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for program in programs:
        for figure in program_adherence(program, program.all_items, today):
            windows[figure.days][0] += figure.completed
            windows[figure.days][1] += figure.scheduled
    adherence = [
        Adherence(days=days, completed=completed, scheduled=scheduled)
        for days, (completed, scheduled) in sorted(windows.items())
    ]
    return History(
        today=today,
        days=records,
        adherence=adherence,
        streak=streak,
        streak_capped=not broken and records[0].is_complete,
        has_active_program=bool(programs),
        started_on=min((program.start_date for program in programs), default=None),
    )


# --- Morning pain check ----------------------------------------------------------------------


@dataclass(frozen=True)
class PainCheckState:
    due: bool
    today_check: PainCheck | None


def pain_check_state(patient: Patient, today: date) -> PainCheckState:
    """Whether to ask this morning's question: not answered yet today, and the patient logged
    a completed exercise yesterday. Two queries."""
    check = (
        PainCheck.objects.filter(clinic_id=patient.clinic_id, patient=patient, checked_on=today)
        .select_related("program")
        .first()
    )
    if check is not None:
        return PainCheckState(due=False, today_check=check)
    exercised_yesterday = (
        ExerciseLog.objects.completed()
        .filter(
            clinic_id=patient.clinic_id, patient=patient, performed_on=today - timedelta(days=1)
        )
        .exists()
    )
    return PainCheckState(due=exercised_yesterday, today_check=None)
