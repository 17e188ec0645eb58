"""Outcome measures: instruments (questionnaires as data), who is asked to answer which one
and when (assignments), and the answers with their scores (responses).

The definition JSON is checked by programs.measures.engine before it is stored, and a
version that patients have answered never changes: a changed text is a new version.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic, Patient
from programs.measures.querysets import (
    InstrumentQuerySet,
    MeasureAssignmentQuerySet,
    MeasureResponseQuerySet,
)

MAX_EVERY_WEEKS = 52


class Instrument(models.Model):
    """One version of a questionnaire. Clinic NULL = shipped with the library."""

    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.CASCADE,
        related_name="instruments",
        null=True,
        blank=True,
    )
    slug = models.SlugField(_("short name"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("abbreviation"), max_length=30)
    definition = models.JSONField(_("definition"))
    is_current = models.BooleanField(_("current version"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["short_name", "-version", "pk"]
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "slug", "version"],
                condition=models.Q(clinic__isnull=False),
                name="instrument_version_unique_per_clinic",
                violation_error_message=_("Your clinic already has this version of the measure."),
            ),
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=models.Q(clinic__isnull=True),
                name="instrument_version_unique_shared",
                violation_error_message=_("The library already has this version of the measure."),
            ),
        ]

    def __str__(self):
        return f"{self.short_name} ({self.name})"

    @property
    def higher_is_better(self) -> bool:
        return self.definition.get("better") == "higher"

    @property
    def mcid(self) -> float:
        return self.definition["mcid"]["value"]

    @property
    def score_is_change(self) -> bool:
        return bool(self.definition.get("score_is_change"))

    @property
    def score_range(self) -> tuple[float, float]:
        return self.definition["range"]["min"], self.definition["range"]["max"]

    @property
    def has_activities(self) -> bool:
        return "activities" in self.definition


class MeasureAssignment(models.Model):
    """A therapist asks a patient to answer an instrument: at the start (`starts_on`), then
    every `every_weeks` weeks if set, and once more at discharge if `at_discharge`."""

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="measure_assignments",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("first time"))
    every_weeks = models.PositiveSmallIntegerField(
        _("repeat every (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EVERY_WEEKS)],
    )
    at_discharge = models.BooleanField(_("ask again at discharge"), default=True)
    next_due_on = models.DateField(_("next due"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    objects = MeasureAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outcome measure assignment")
        verbose_name_plural = _("outcome measure assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "instrument"],
                condition=models.Q(stopped_at__isnull=True),
                name="measure_assignment_one_open_per_instrument",
                violation_error_message=_("This patient already answers this measure."),
            ),
            models.CheckConstraint(
                condition=models.Q(every_weeks__isnull=True)
                | models.Q(every_weeks__gte=1, every_weeks__lte=MAX_EVERY_WEEKS),
                name="measure_assignment_every_weeks_range",
                violation_error_message=_("Repeat every 1 to 52 weeks, or leave it empty."),
            ),
        ]

    def __str__(self):
        return f"{self.instrument.short_name} for {self.patient}"

    @property
    def is_open(self) -> bool:
        return self.stopped_at is None

    def is_due(self, today) -> bool:
        return self.is_open and self.next_due_on is not None and self.next_due_on <= today

    def due_after_answer(self, answered_on):
        """The next date to ask after an answer on `answered_on` (None: not again, unless
        discharge asks once more)."""
        if self.every_weeks:
            return answered_on + timedelta(weeks=self.every_weeks)
        return None


class MeasureResponse(models.Model):
    """One round of answers. `submitted_at` NULL = started and not sent yet (progress kept);
    a sent response is scored and never changes."""

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="measure_responses",
    )
    assignment = models.ForeignKey(
        MeasureAssignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="+"
    )
    activities = models.JSONField(_("activities"), default=list, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    subscale_scores = models.JSONField(_("subscale scores"), default=dict, blank=True)
    answered_count = models.PositiveSmallIntegerField(_("questions answered"), default=0)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = MeasureResponseQuerySet.as_manager()

    class Meta:
        ordering = ["answered_on", "submitted_at", "pk"]
        verbose_name = _("outcome measure response")
        verbose_name_plural = _("outcome measure responses")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(submitted_at__isnull=True),
                name="measure_response_one_draft_per_assignment",
                violation_error_message=_("This questionnaire is already started."),
            ),
        ]
        indexes = [models.Index(fields=["clinic", "answered_on"], name="measure_response_day")]

    def __str__(self):
        return f"{self.instrument.short_name} of {self.patient} on {self.answered_on}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
