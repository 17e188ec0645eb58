"""Who needs the therapist's attention today, and why (the dashboard, its API and digest).

Every reason reads a bounded recent window (the last 14 days of logs and pain checks, pending
invitations, active programs) of the patients in scope, in a fixed number of queries whatever
the number of patients or logs. A reason carries the time of the newest data behind it;
"Mark reviewed" hides it until newer data raises it again.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.models import Clinic, Invitation, Patient, User
from programs.choices import AttentionKind
from programs.figures import Adherence, Reason
from programs.measures.selectors import measures_worse_by_mcid
from programs.models import (
    AttentionReview,
    ComparedToBefore,
    ExerciseLog,
    PainCheck,
    Program,
    ProgramItem,
)
from programs.readiness import item_readiness, short_day, worse_days_of
from programs.selectors import (
    ADHERENCE_WINDOWS,
    adherence_from_counts,
    progression_neighbours_for,
)

WINDOW_DAYS = 7  # pain, morning answers, adherence
READINESS_WINDOW_DAYS = 14  # the last sessions of each exercise
NO_CHECK_OFF_DAYS = 5
NOT_SIGNED_IN_DAYS = 3
ENDING_WITHIN_DAYS = 7


@dataclass
class PatientAttention:
    patient: Patient
    reasons: list[Reason] = field(default_factory=list)
    hidden: int = 0  # reasons marked reviewed and not raised again since

    @property
    def rank(self) -> int:
        return min(reason.rank for reason in self.reasons)


def _start_of(day: date, zone) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


class _Collector:
    """The rows read once for all patients in scope, and the reasons found in them."""

    def __init__(self, *, clinic: Clinic, today: date, now: datetime):
        self.clinic = clinic
        self.zone = clinic.zone
        self.today = today
        self.now = now
        self.reasons = defaultdict(list)
        self.window_start = today - timedelta(days=WINDOW_DAYS - 1)
        self.readiness_start = today - timedelta(days=READINESS_WINDOW_DAYS - 1)

    def add(self, patient_id, kind, evidence, raised_at, program_id=None):
        self.reasons[patient_id].append(Reason(kind, evidence, raised_at, program_id))

    def load(self, patient_scope):
        clinic_id = self.clinic.pk
        self.programs = {
            program.pk: program
            for program in Program.objects.for_clinic(clinic_id)
            .active()
            .filter(patient__in=patient_scope)
            .order_by("start_date", "pk")
        }
        for program in self.programs.values():
            program.clinic = self.clinic  # the same row; no query per program for its zone
        active = Program.objects.for_clinic(clinic_id).active().filter(patient__in=patient_scope)
        oldest_in_force = _start_of(self.readiness_start, self.zone)
        self.items = list(
            ProgramItem.objects.for_clinic(clinic_id)
            .filter(program__in=active)
            .filter(Q(retired_at__isnull=True) | Q(retired_at__gte=oldest_in_force))
            .select_related("exercise")
        )
        self.logs = list(
            ExerciseLog.objects.for_clinic(clinic_id)
            .filter(
                program_item__program__in=active,
                performed_on__range=(self.readiness_start, self.today),
            )
            .select_related("program_item__exercise")
        )
        self.pain_checks = list(
            PainCheck.objects.for_clinic(clinic_id)
            .filter(
                patient__in=patient_scope,
                checked_on__range=(self.readiness_start, self.today),
            )
            .select_related("program")
        )
        self.invitations = {}
        for invitation in (
            Invitation.objects.for_clinic(clinic_id)
            .pending()
            .filter(patient__in=patient_scope, patient__user__isnull=True)
            .order_by("patient_id", "created_at")
        ):
            self.invitations[invitation.patient_id] = invitation  # the newest wins

    # --- the reasons, one method each ---------------------------------------------------

    def pain_during(self):
        worst = {}
        newest = {}
        for log in self.logs:
            program = self.programs[log.program_item.program_id]
            if log.performed_on < self.window_start or log.pain is None:
                continue
            if log.pain <= program.max_pain:
                continue
            key = log.patient_id
            newest[key] = max(newest.get(key, log.updated_at), log.updated_at)
            if key not in worst or (log.pain, log.performed_on) > (
                worst[key].pain,
                worst[key].performed_on,
            ):
                worst[key] = log
        for patient_id, log in worst.items():
            self.add(
                patient_id,
                AttentionKind.PAIN_DURING,
                _("Pain %(pain)d/10 on %(exercise)s, %(day)s (limit %(limit)d).")
                % {
                    "pain": log.pain,
                    "exercise": log.program_item.exercise.name,
                    "day": short_day(log.performed_on),
                    "limit": self.programs[log.program_item.program_id].max_pain,
                },
                newest[patient_id],
                log.program_item.program_id,
            )

    def morning(self):
        flagged = defaultdict(list)
        for check in self.pain_checks:
            if check.checked_on < self.window_start:
                continue
            worse = check.compared_to_before == ComparedToBefore.WORSE
            if worse or check.pain_now > check.program.max_pain:
                flagged[check.patient_id].append(check)
        for patient_id, checks in flagged.items():
            check = max(checks, key=lambda c: c.checked_on)
            if check.pain_now > check.program.max_pain:
                text = _("Next morning pain %(pain)d/10 (limit %(limit)d), %(day)s.")
            else:
                text = _("Next morning worse (pain %(pain)d/10), %(day)s.")
            self.add(
                patient_id,
                AttentionKind.MORNING,
                text
                % {
                    "pain": check.pain_now,
                    "limit": check.program.max_pain,
                    "day": short_day(check.checked_on),
                },
                max(c.updated_at for c in checks),
                check.program_id,
            )

    def adherence(self):
        items_by_program = defaultdict(list)
        for item in self.items:
            items_by_program[item.program_id].append(item)
        done = defaultdict(lambda: defaultdict(int))
        for log in self.logs:
            if log.completed and log.performed_on >= self.window_start:
                done[log.program_item.program_id][log.performed_on] += 1
        for program in self.programs.values():
            (figure,) = adherence_from_counts(
                program, items_by_program[program.pk], done[program.pk], self.today, [WINDOW_DAYS]
            )
            # The clinic's threshold (50% by default), percent of scheduled check-offs.
            if figure.percent is None or figure.percent >= self.clinic.low_adherence_below:
                continue
            self.add(
                program.patient_id,
                AttentionKind.LOW_ADHERENCE,
                _(
                    "%(done)d of %(scheduled)d check-offs (%(percent)d%%) in the last 7 days "
                    "of “%(title)s”."
                )
                % {
                    "done": figure.completed,
                    "scheduled": figure.scheduled,
                    "percent": figure.percent,
                    "title": program.title,
                },
                # A time-driven reason: a review holds for one whole window.
                _start_of(self.window_start, self.zone),
                program.pk,
            )

    def no_check_off(self):
        first_start = {}
        for program in self.programs.values():
            first_start.setdefault(program.patient_id, program)
        last = {}
        for log in self.logs:
            if log.completed:
                last[log.patient_id] = max(
                    last.get(log.patient_id, log.performed_on), log.performed_on
                )
        quiet = [patient_id for patient_id in first_start if patient_id not in last]
        if quiet:
            last.update(
                ExerciseLog.objects.for_clinic(self.clinic)
                .completed()
                .filter(patient_id__in=quiet, performed_on__lte=self.today)
                .values_list("patient_id")
                .annotate(last=Max("performed_on"))
                .order_by()
            )
        for patient_id, program in first_start.items():
            last_day = last.get(patient_id)
            idle_since = program.start_date - timedelta(days=1)
            if last_day is not None and last_day > idle_since:
                idle_since = last_day
            days = (self.today - idle_since).days
            if days < NO_CHECK_OFF_DAYS:
                continue
            if last_day is not None and last_day == idle_since:
                text = ngettext(
                    "No check-off for %(days)d day (last on %(day)s).",
                    "No check-off for %(days)d days (last on %(day)s).",
                    days,
                ) % {"days": days, "day": short_day(last_day)}
            else:
                text = ngettext(
                    "No check-off in the %(days)d day since the program started.",
                    "No check-off in the %(days)d days since the program started.",
                    days,
                ) % {"days": days}
            self.add(
                patient_id,
                AttentionKind.NO_CHECK_OFF,
                text,
                _start_of(idle_since + timedelta(days=NO_CHECK_OFF_DAYS), self.zone),
                program.pk,
            )

    def not_signed_in(self):
        cutoff = self.now - timedelta(days=NOT_SIGNED_IN_DAYS)
        for patient_id, invitation in self.invitations.items():
            if invitation.created_at > cutoff:
                continue
            self.add(
                patient_id,
                AttentionKind.NOT_SIGNED_IN,
                _("Invited on %(day)s, not signed in yet.")
                % {"day": short_day(invitation.created_at.astimezone(self.zone).date())},
                invitation.created_at + timedelta(days=NOT_SIGNED_IN_DAYS),
            )

    def ending_soon(self):
        last_day = self.today + timedelta(days=ENDING_WITHIN_DAYS)
        for program in self.programs.values():
            if program.end_date is None or not self.today <= program.end_date <= last_day:
                continue
            days = (program.end_date - self.today).days
            self.add(
                program.patient_id,
                AttentionKind.ENDING_SOON,
                ngettext(
                    "“%(title)s” ends on %(day)s (in %(days)d day).",
                    "“%(title)s” ends on %(day)s (in %(days)d days).",
                    days,
                )
                % {"title": program.title, "day": short_day(program.end_date), "days": days},
                _start_of(program.end_date - timedelta(days=ENDING_WITHIN_DAYS), self.zone),
                program.pk,
            )

    def readiness(self):
        current = [item for item in self.items if item.retired_at is None]
        neighbours = progression_neighbours_for({item.exercise_id for item in current}, self.clinic)
        logs_by_item = defaultdict(list)
        for log in self.logs:
            logs_by_item[log.program_item_id].append(log)
        checks_by_patient = defaultdict(list)
        for check in self.pain_checks:
            checks_by_patient[check.patient_id].append(check)
        for item in current:
            program = self.programs[item.program_id]
            place = neighbours[item.exercise_id]
            result = item_readiness(
                item,
                step=place.current if place.next is not None else None,
                logs=logs_by_item[item.pk],
                max_pain=program.max_pain,
                worse_days=worse_days_of(checks_by_patient[program.patient_id]),
            )
            if result is None:
                continue
            self.add(
                program.patient_id,
                AttentionKind.EASE_OFF if result.is_ease_off else AttentionKind.READY,
                f"{item.exercise.name}: {result.evidence}",
                max(log.updated_at for log in result.logs),
                program.pk,
            )

    def measure_worse(self, patient_scope):
        """Outcome measures whose latest score is worse than the first by the MCID or more."""
        for patient_id, results in measures_worse_by_mcid(patient_scope).items():
            for result in results:
                self.add(
                    patient_id,
                    AttentionKind.MEASURE_WORSE,
                    _(
                        "%(measure)s %(first)s → %(latest)s on %(day)s "
                        "(worse by its MCID of %(mcid)s or more)."
                    )
                    % {
                        "measure": result.instrument.short_name or result.instrument.name,
                        "first": _number(result.first),
                        "latest": _number(result.latest),
                        "day": short_day(result.answered_on),
                        "mcid": _number(result.instrument.mcid),
                    },
                    result.submitted_at,
                )


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _collect(patient_scope, *, clinic: Clinic, today: date, now: datetime) -> _Collector:
    collector = _Collector(clinic=clinic, today=today, now=now)
    collector.load(patient_scope)
    collector.pain_during()
    collector.morning()
    collector.measure_worse(patient_scope)
    collector.no_check_off()
    collector.adherence()
    collector.not_signed_in()
    collector.ending_soon()
    collector.readiness()
    return collector


def _visible(collector: _Collector, clinic: Clinic) -> dict[int, tuple[list[Reason], int]]:
    """Per patient: the reasons no review hides (most serious first) and how many are hidden.
    One query (the newest review per patient and reason)."""
    if not collector.reasons:
        return {}
    reviewed = {
        (patient_id, kind): last
        for patient_id, kind, last in AttentionReview.objects.for_clinic(clinic)
        .filter(patient_id__in=list(collector.reasons))
        .values_list("patient_id", "kind")
        .annotate(last=Max("reviewed_at"))
        .order_by()
    }
    result = {}
    for patient_id, reasons in collector.reasons.items():
        shown, hidden = [], 0
        for reason in reasons:
            last_review = reviewed.get((patient_id, reason.kind))
            if last_review is not None and last_review >= reason.raised_at:
                hidden += 1
            else:
                shown.append(reason)
        shown.sort(key=lambda reason: reason.rank)
        result[patient_id] = (shown, hidden)
    return result


def attention_rows(patient_scope, *, clinic: Clinic, today: date | None = None, now=None):
    """The patients of `patient_scope` (a queryset already limited by `for_user`) with at
    least one reason that is not hidden by a review, most serious first."""
    today = today or clinic.today()
    now = now or timezone.now()
    visible = _visible(
        _collect(patient_scope.active(), clinic=clinic, today=today, now=now), clinic
    )
    wanted = [patient_id for patient_id, (shown, _hidden) in visible.items() if shown]
    if not wanted:
        return []
    rows = []
    patients = Patient.objects.for_clinic(clinic).filter(pk__in=wanted)
    for patient in patients.select_related("primary_therapist"):
        shown, hidden = visible[patient.pk]
        rows.append(PatientAttention(patient, shown, hidden))
    rows.sort(key=lambda row: (row.rank, -len(row.reasons), row.patient.last_name, row.patient.pk))
    return rows


@dataclass(frozen=True)
class ComputedStatus:
    """What programs/status.py stores per patient: adherence over 7 and 30 days (all active
    programs together), the last logged day, the dashboard's reasons not marked reviewed
    (most serious first) and how many are hidden, and when a clock change alone makes
    these figures old."""

    adherence: list  # [Adherence(7 days), Adherence(30 days)], or [] without a program
    reasons: list[Reason]
    hidden: int
    last_activity: date | None
    stale_after: datetime


def compute_statuses(patient_ids, *, clinic: Clinic, today: date | None = None, now=None):
    """Status of the given patients (a bounded batch), in a fixed number of queries.
    Returns {patient id: ComputedStatus}."""
    today = today or clinic.today()
    now = now or timezone.now()
    ids = list(patient_ids)
    if not ids:
        return {}
    scope = Patient.objects.for_clinic(clinic).filter(pk__in=ids)
    collector = _collect(scope, clinic=clinic, today=today, now=now)
    visible = _visible(collector, clinic)
    longest = max(ADHERENCE_WINDOWS)
    done = defaultdict(dict)
    for program_id, day, count in (
        ExerciseLog.objects.for_clinic(clinic)
        .completed()
        .filter(
            program_item__program_id__in=list(collector.programs),
            performed_on__range=(today - timedelta(days=longest - 1), today),
        )
        .values_list("program_item__program_id", "performed_on")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        done[program_id][day] = count
    items_by_program = defaultdict(list)
    for item in collector.items:
        items_by_program[item.program_id].append(item)
    # Items retired before the readiness window are not loaded; they were not in force in
    # the last 14 days but may have been within 30: load them for the 30-day figure.
    oldest = _start_of(collector.readiness_start, collector.zone)
    for item in ProgramItem.objects.for_clinic(clinic).filter(
        program_id__in=list(collector.programs),
        retired_at__lt=oldest,
        retired_at__gte=_start_of(today - timedelta(days=longest), collector.zone),
    ):
        items_by_program[item.program_id].append(item)
    totals = defaultdict(lambda: {window: [0, 0] for window in ADHERENCE_WINDOWS})
    for program in collector.programs.values():
        for figure in adherence_from_counts(
            program, items_by_program[program.pk], done[program.pk], today, ADHERENCE_WINDOWS
        ):
            totals[program.patient_id][figure.days][0] += figure.completed
            totals[program.patient_id][figure.days][1] += figure.scheduled
    last_logged = dict(
        ExerciseLog.objects.for_clinic(clinic)
        .filter(patient_id__in=ids)
        .values_list("patient_id")
        .annotate(last=Max("performed_on"))
        .order_by()
    )
    next_day = _start_of(today + timedelta(days=1), collector.zone)
    result = {}
    for patient_id in ids:
        stale_after = next_day
        invitation = collector.invitations.get(patient_id)
        if invitation is not None:
            turns_old = invitation.created_at + timedelta(days=NOT_SIGNED_IN_DAYS)
            if now < turns_old < stale_after:
                stale_after = turns_old
        shown, hidden = visible.get(patient_id, ([], 0))
        result[patient_id] = ComputedStatus(
            adherence=[
                Adherence(days=window, completed=completed, scheduled=scheduled)
                for window, (completed, scheduled) in sorted(totals[patient_id].items())
            ]
            if patient_id in totals
            else [],
            reasons=shown,
            hidden=hidden,
            last_activity=last_logged.get(patient_id),
            stale_after=stale_after,
        )
    return result


def dashboard_scope(user: User, *, everyone: bool):
    """The user's own patients (primary therapist), or all the clinic's on request."""
    patients = Patient.objects.for_user(user)
    return patients if everyone else patients.filter(primary_therapist=user)
