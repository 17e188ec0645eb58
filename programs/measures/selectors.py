"""Reads of outcome measures: what a patient has to answer, and results over time with the
change from the first score read against the instrument's MCID."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Prefetch

from clinic.models import Patient
from programs.measures import engine
from programs.measures.models import Instrument, MeasureAssignment, MeasureResponse

IMPROVED = "improved"
WORSE = "worse"
WITHIN = "within"


def due_for_patient(patient: Patient, today: date) -> list[MeasureAssignment]:
    """Open assignments due by today, or started and not sent (one query)."""
    drafts = MeasureResponse.objects.drafts()
    return list(
        MeasureAssignment.objects.of_patient(patient)
        .due_on(today)
        .select_related("instrument")
        .prefetch_related(Prefetch("responses", queryset=drafts, to_attr="drafts"))
        .order_by("next_due_on", "pk")
    )


@dataclass
class Point:
    response: MeasureResponse
    day: date
    score: float | None
    change: float | None  # from the first scored answer


@dataclass
class Series:
    """One instrument's scored answers of one patient (across its assignments and versions)."""

    instrument: Instrument
    points: list[Point] = field(default_factory=list)
    assignments: list[MeasureAssignment] = field(default_factory=list)
    activity_changes: list[tuple[str, int | None, int | None, int | None]] = field(
        default_factory=list
    )

    @property
    def scored(self) -> list[Point]:
        return [p for p in self.points if p.score is not None]

    @property
    def first(self) -> Point | None:
        return next(iter(self.scored), None)

    @property
    def latest(self) -> Point | None:
        return self.scored[-1] if self.scored else None

    @property
    def change(self) -> float | None:
        latest = self.latest
        return None if latest is None or len(self.scored) < 2 else latest.change

    @property
    def mcid(self) -> float:
        return self.instrument.mcid

    @property
    def mdc(self) -> float | None:
        block = self.instrument.definition.get("mdc") or {}
        return block.get("value")

    @property
    def item_mdc(self) -> float | None:
        block = self.instrument.definition.get("mdc") or {}
        return block.get("item_value")

    @property
    def improvement(self) -> float | None:
        """The change in the better direction (negative = worse)."""
        if self.instrument.score_is_change:
            value = self.latest.score if self.latest else None
        else:
            value = self.change
        if value is None:
            return None
        return value if self.instrument.higher_is_better else -value

    @property
    def status(self) -> str | None:
        improvement = self.improvement
        if improvement is None:
            return None
        if improvement >= self.mcid:
            return IMPROVED
        if -improvement >= self.mcid:
            return WORSE
        return WITHIN

    @property
    def needs_attention(self) -> bool:
        """Worse by the MCID or more: a reason for the therapist to look (the dashboard)."""
        return self.status == WORSE


def _activity_changes(points: list[Point]):
    """PSFS-style: each activity's first and latest rating, and whether the change reaches
    the per-activity MDC (read by the template)."""
    submitted = [p.response for p in points]
    if not submitted or not submitted[0].activities:
        return []
    first, latest = submitted[0], submitted[-1]
    rows = []
    for n, name in enumerate(first.activities, start=1):
        key = f"{engine.ACTIVITY_PREFIX}{n}"
        a, b = first.answers.get(key), latest.answers.get(key)
        rows.append((name, a, b, None if a is None or b is None else b - a))
    return rows


def patient_measure_series(patient: Patient) -> list[Series]:
    """Every instrument the patient was asked, with their sent answers oldest first
    (two queries whatever the number of answers)."""
    assignments = list(
        MeasureAssignment.objects.of_patient(patient)
        .select_related("instrument", "assigned_by")
        .order_by("created_at", "pk")
    )
    if not assignments:
        return []  # answers only exist under assignments
    responses = (
        MeasureResponse.objects.of_patient(patient)
        .submitted()
        .select_related("instrument")
        .order_by("answered_on", "submitted_at", "pk")
    )
    by_key: dict[tuple, Series] = {}
    for assignment in assignments:
        key = (assignment.instrument.clinic_id, assignment.instrument.slug)
        series = by_key.setdefault(key, Series(instrument=assignment.instrument))
        series.assignments.append(assignment)
        if assignment.instrument.version > series.instrument.version:
            series.instrument = assignment.instrument
    for response in responses:
        key = (response.instrument.clinic_id, response.instrument.slug)
        series = by_key.setdefault(key, Series(instrument=response.instrument))
        first = series.first
        change = None
        if response.score is not None and first is not None:
            change = round(response.score - first.score, 2)
        elif response.score is not None:
            change = 0.0
        series.points.append(Point(response, response.answered_on, response.score, change))
    for series in by_key.values():
        series.activity_changes = _activity_changes(series.points)
    return sorted(by_key.values(), key=lambda s: s.instrument.short_name)


def clinic_results_for_export(clinic_id):
    """Every sent answer of a clinic, for the CSV export (streamed in chunks)."""
    return (
        MeasureResponse.objects.for_clinic(clinic_id)
        .submitted()
        .select_related("patient", "instrument")
        .order_by("patient__last_name", "patient__first_name", "patient_id", "answered_on", "pk")
    )


@dataclass(frozen=True)
class WorseResult:
    """A measure whose latest score is worse than the first by its MCID or more."""

    instrument: Instrument
    first: float
    latest: float
    answered_on: date
    submitted_at: object  # the newest data behind the reason (a datetime)


def measures_worse_by_mcid(patients) -> dict[int, list[WorseResult]]:
    """Of these patients (ids or a queryset), per patient the measures whose latest score is
    worse than the first by the MCID or more: a "needs attention" reason for the dashboard.
    One query over the patients' sent answers (a few per patient and measure)."""
    if not isinstance(patients, models.QuerySet):
        patients = list(patients)
    rows = (
        MeasureResponse.objects.filter(patient__in=patients, score__isnull=False)
        .submitted()
        .select_related("instrument")
        .order_by("patient_id", "answered_on", "submitted_at", "pk")
    )
    first: dict[tuple, float] = {}
    latest: dict[tuple, MeasureResponse] = {}
    for response in rows:
        key = (response.patient_id, response.instrument.clinic_id, response.instrument.slug)
        first.setdefault(key, response.score)
        latest[key] = response
    worse: dict[int, list[WorseResult]] = {}
    for key, response in latest.items():
        instrument = response.instrument
        change = response.score if instrument.score_is_change else response.score - first[key]
        improvement = change if instrument.higher_is_better else -change
        if -improvement >= instrument.mcid:
            worse.setdefault(key[0], []).append(
                WorseResult(
                    instrument,
                    first[key],
                    response.score,
                    response.answered_on,
                    response.submitted_at,
                )
            )
    return worse


def patients_worse_by_mcid(patient_ids) -> set[int]:
    """Of these patients, those with some measure worse than its first score by the MCID."""
    return set(measures_worse_by_mcid(patient_ids))
