"""Home programs: what a therapist prescribed, when, and what the patient logged.

Items are never rewritten once a program runs: progressing an item retires it (`retired_at`)
and adds the next step as a new item, so history keeps what was really prescribed when.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic, Patient, validate_timezone
from clinic.querysets import ClinicScopedQuerySet
from exercises.models import Exercise
from exercises.querysets import CatalogQuerySet
from programs.choices import AttentionKind, BandColour, LoadUnit, ProgramStatus, Side
from programs.dosage import dosage_text
from programs.figures import Adherence, Reason
from programs.querysets import (
    AttentionReviewQuerySet,
    DisclaimerAcceptanceQuerySet,
    ExerciseLogQuerySet,
    PainCheckQuerySet,
    PatientStatusQuerySet,
    ProgramItemQuerySet,
    ProgramQuerySet,
    ReminderSettingsQuerySet,
)
from programs.reminder_rules import (
    QUIET_HOURS_END,
    QUIET_HOURS_MESSAGE,
    QUIET_HOURS_START,
    validate_reminder_time,
)
from programs.schedule import ALL_WEEKDAYS, weekdays_text

MAX_SETS = 20
MAX_REPS = 200
MAX_HOLD_SECONDS = 600
MAX_LOAD = 500
MAX_SESSIONS_PER_DAY = 6
PROGRAM_ITEM_HINT_LIMIT = 4  # more than this and patients do them less faithfully


class Dosage(models.Model):
    """What to do of one exercise: shared by template items and program items."""

    sets = models.PositiveSmallIntegerField(
        _("sets"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    reps = models.PositiveSmallIntegerField(
        _("repetitions"), validators=[MinValueValidator(1), MaxValueValidator(MAX_REPS)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        _("hold (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOLD_SECONDS)],
    )
    load_amount = models.DecimalField(
        _("load"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.1), MaxValueValidator(MAX_LOAD)],
        help_text=_("Weight in kg or lb. Leave empty for no added weight."),
    )
    load_unit = models.CharField(
        _("load unit"), max_length=10, choices=LoadUnit.choices, blank=True
    )
    band_colour = models.CharField(
        _("band colour"), max_length=10, choices=BandColour.choices, blank=True
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, default=Side.BOTH)
    notes = models.TextField(_("notes for the patient"), blank=True, max_length=1000)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sets__gte=1, sets__lte=MAX_SETS),
                name="%(class)s_sets_in_range",
                violation_error_message=_("Sets must be between 1 and 20."),
            ),
            models.CheckConstraint(
                condition=models.Q(reps__gte=1, reps__lte=MAX_REPS),
                name="%(class)s_reps_in_range",
                violation_error_message=_("Repetitions must be between 1 and 200."),
            ),
            models.CheckConstraint(
                condition=models.Q(hold_seconds__isnull=True)
                | models.Q(hold_seconds__gte=1, hold_seconds__lte=MAX_HOLD_SECONDS),
                name="%(class)s_hold_in_range",
                violation_error_message=_("Hold time must be between 1 and 600 seconds."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(load_unit="", load_amount__isnull=True, band_colour="")
                    | models.Q(
                        load_unit__in=[LoadUnit.KG, LoadUnit.LB],
                        load_amount__isnull=False,
                        load_amount__gt=0,
                        band_colour="",
                    )
                    | (
                        models.Q(load_unit=LoadUnit.BAND, load_amount__isnull=True)
                        & ~models.Q(band_colour="")
                    )
                ),
                name="%(class)s_load_consistent",
                violation_error_message=_(
                    "Give a weight with kg or lb, or a band colour with a band, or no load."
                ),
            ),
        ]

    @property
    def dosage_text(self) -> str:
        return dosage_text(self)


class ProgramTemplate(models.Model):
    """A reusable routine. Clinic NULL = shared with every clinic (seeded from the library)."""

    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.CASCADE,
        related_name="program_templates",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=80, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The same rule as the catalog: staff read their clinic's rows and the shared ones.
    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("program template")
        verbose_name_plural = _("program templates")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "slug"],
                condition=models.Q(clinic__isnull=False),
                name="template_slug_unique_per_clinic",
                violation_error_message=_("Your clinic already has a template with this name."),
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(clinic__isnull=True),
                name="template_slug_unique_shared",
                violation_error_message=_("A shared template with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.clinic_id is None


def clinic_column(*, null: bool = False) -> models.ForeignKey:
    """The direct tenant column every clinic-owned row carries (filled from its parent by the
    services), so `for_user` filters each table without a join."""
    return models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.CASCADE if null else models.PROTECT,
        related_name="+",
        null=null,
        blank=null,
    )


class SameClinicAsParent(models.Model):
    """A row whose `clinic` must be its parent's (`clinic_parent` names the parent field)."""

    clinic_parent = ""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if getattr(self, f"{self.clinic_parent}_id", None) is None:
            return
        parent = getattr(self, self.clinic_parent)
        if self.clinic_id != parent.clinic_id:
            raise ValidationError(
                _("This row belongs to another clinic than its %(parent)s.")
                % {"parent": self.clinic_parent}
            )


class ProgramTemplateItem(SameClinicAsParent, Dosage):
    clinic_parent = "template"
    clinic = clinic_column(null=True)
    template = models.ForeignKey(
        ProgramTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )
    exercise = models.ForeignKey(
        Exercise, verbose_name=_("exercise"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))

    objects = CatalogQuerySet.as_manager()

    class Meta(Dosage.Meta):
        ordering = ["template", "position"]
        verbose_name = _("template exercise")
        verbose_name_plural = _("template exercises")
        constraints = [
            *Dosage.Meta.constraints,
            models.UniqueConstraint(
                fields=["template", "position"],
                name="template_item_position_unique",
                violation_error_message=_("Two exercises of a template cannot share a position."),
            ),
        ]

    def __str__(self):
        return f"{self.template}: {self.exercise}"


class Program(models.Model):
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="programs"
    )
    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="programs"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("therapist"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    template = models.ForeignKey(
        ProgramTemplate,
        verbose_name=_("started from template"),
        on_delete=models.SET_NULL,
        related_name="programs",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=150)
    notes = models.TextField(_("notes for the patient"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for an open-ended program.")
    )
    weekdays = models.PositiveSmallIntegerField(_("days of the week"), default=ALL_WEEKDAYS)
    sessions_per_day = models.PositiveSmallIntegerField(
        _("sessions per day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS_PER_DAY)],
    )
    max_pain = models.PositiveSmallIntegerField(
        _("acceptable pain (0-10)"),
        default=5,
        validators=[MaxValueValidator(10)],
        help_text=_("Pain during exercise above this is flagged for you. 5 is the usual limit."),
    )
    reminder_time = models.TimeField(
        _("reminder time"),
        null=True,
        blank=True,
        validators=[validate_reminder_time],
        help_text=_(
            "The patient is reminded at this time on exercise days, unless they choose "
            "another time. Between 07:00 and 21:00. Leave empty for no default."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="program_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=1, weekdays__lte=ALL_WEEKDAYS),
                name="program_weekdays_valid",
                violation_error_message=_("Choose at least one day of the week."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    sessions_per_day__gte=1, sessions_per_day__lte=MAX_SESSIONS_PER_DAY
                ),
                name="program_sessions_per_day_in_range",
                violation_error_message=_("Sessions per day must be between 1 and 6."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_pain__lte=10),
                name="program_max_pain_0_to_10",
                violation_error_message=_("Pain is rated from 0 to 10."),
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_time__isnull=True)
                | models.Q(reminder_time__gte=QUIET_HOURS_END, reminder_time__lt=QUIET_HOURS_START),
                name="program_reminder_time_outside_quiet_hours",
                violation_error_message=QUIET_HOURS_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["clinic", "patient", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("program_detail", args=[self.pk])

    def is_scheduled_on(self, day: date) -> bool:
        """Whether the schedule asks for exercise on `day` (status aside)."""
        if day < self.start_date or (self.end_date and day > self.end_date):
            return False
        return bool(self.weekdays & (1 << day.weekday()))

    @property
    def is_read_only(self) -> bool:
        """A completed program is the record of what was done: nothing in it changes any more
        (adherence and pain flags would be rewritten after the fact). Copy it instead."""
        return self.status == ProgramStatus.COMPLETED

    @property
    def schedule_text(self) -> str:
        """E.g. “Every day, 2 sessions a day” or “Monday, Wednesday, Friday”."""
        days = weekdays_text(self.weekdays)
        if self.sessions_per_day > 1:
            return str(_("%(days)s, %(n)d sessions a day")) % {
                "days": days,
                "n": self.sessions_per_day,
            }
        return days


class ProgramItem(SameClinicAsParent, Dosage):
    clinic_parent = "program"
    clinic = clinic_column()
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="items"
    )
    exercise = models.ForeignKey(
        Exercise, verbose_name=_("exercise"), on_delete=models.PROTECT, related_name="program_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    created_at = models.DateTimeField(_("prescribed"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        null=True,
        blank=True,
        help_text=_("The item this one took over from when it was progressed or regressed."),
    )

    objects = ProgramItemQuerySet.as_manager()

    class Meta(Dosage.Meta):
        ordering = ["program", "position", "created_at"]
        verbose_name = _("program exercise")
        verbose_name_plural = _("program exercises")
        constraints = [
            *Dosage.Meta.constraints,
            models.UniqueConstraint(
                fields=["program", "position"],
                condition=models.Q(retired_at__isnull=True),
                name="program_item_position_unique_current",
                violation_error_message=_("Two exercises of a program cannot share a position."),
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.exercise}"

    @property
    def is_current(self) -> bool:
        return self.retired_at is None

    def in_force_on(self, day: date, zone) -> bool:
        """Whether this item was the prescription on `day` (clinic time zone `zone`): prescribed
        on or before that day and not yet replaced or removed by then. The one rule behind
        "due today", the history and adherence."""
        if self.created_at.astimezone(zone).date() > day:
            return False
        return self.retired_at is None or day < self.retired_at.astimezone(zone).date()

    def is_due_on(self, day: date) -> bool:
        """In force on `day` and the program's schedule asks for exercise then (status aside).
        Needs `program.clinic` (select_related) for the time zone."""
        program = self.program
        return program.is_scheduled_on(day) and self.in_force_on(day, program.clinic.zone)


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    ABOUT_RIGHT = "about_right", _("About right")
    HARD = "hard", _("Hard")


class ExerciseLog(SameClinicAsParent):
    """What the patient did of one item on one day and session. One row per (item, day,
    session): checking off again updates it, so repeats never double-count."""

    clinic_parent = "patient"
    clinic = clinic_column()
    program_item = models.ForeignKey(
        ProgramItem, verbose_name=_("exercise"), on_delete=models.PROTECT, related_name="logs"
    )
    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="exercise_logs"
    )
    performed_on = models.DateField(_("day"))
    session = models.PositiveSmallIntegerField(
        _("session"), default=1, validators=[MinValueValidator(1)]
    )
    completed = models.BooleanField(_("done"), default=True)
    sets_done = models.PositiveSmallIntegerField(
        _("sets done"), null=True, blank=True, validators=[MaxValueValidator(MAX_SETS)]
    )
    reps_done = models.PositiveSmallIntegerField(
        _("repetitions done"), null=True, blank=True, validators=[MaxValueValidator(MAX_REPS)]
    )
    pain = models.PositiveSmallIntegerField(
        _("pain during the exercise (0-10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    difficulty = models.CharField(
        _("how hard it felt"), max_length=12, choices=Difficulty.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExerciseLogQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_on", "-session", "-pk"]
        verbose_name = _("exercise log")
        verbose_name_plural = _("exercise logs")
        constraints = [
            models.UniqueConstraint(
                fields=["program_item", "performed_on", "session"],
                name="log_one_per_item_day_session",
                violation_error_message=_("This exercise is already logged for that session."),
            ),
            models.CheckConstraint(
                condition=models.Q(pain__isnull=True) | models.Q(pain__lte=10),
                name="log_pain_0_to_10",
                violation_error_message=_("Pain is rated from 0 to 10."),
            ),
            models.CheckConstraint(
                condition=models.Q(session__gte=1),
                name="log_session_from_1",
                violation_error_message=_("Sessions are numbered from 1."),
            ),
        ]
        indexes = [models.Index(fields=["patient", "performed_on"])]

    def __str__(self):
        return f"{self.program_item} on {self.performed_on}"


# --- Patient portal ----------------------------------------------------------------------------

USER_AGENT_MAX_LENGTH = 300


class DisclaimerAcceptance(SameClinicAsParent):
    """A patient read and accepted one version of a medical disclaimer. A new version needs a
    new acceptance, so the row names the exact version; IP and browser are kept as evidence."""

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="disclaimer_acceptances",
    )
    disclaimer = models.ForeignKey(
        "exercises.Disclaimer",
        verbose_name=_("disclaimer"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX_LENGTH, blank=True)

    objects = DisclaimerAcceptanceQuerySet.as_manager()

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("disclaimer acceptance")
        verbose_name_plural = _("disclaimer acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "disclaimer"],
                name="acceptance_one_per_patient_version",
                violation_error_message=_("This version of the disclaimer is already accepted."),
            ),
        ]

    def __str__(self):
        return f"{self.patient} accepted {self.disclaimer}"


class ComparedToBefore(models.TextChoices):
    BETTER = "better", _("Better")
    SAME = "same", _("About the same")
    WORSE = "worse", _("Worse")


class PainCheck(SameClinicAsParent):
    """The morning after exercising: pain now and how it compares (the pain monitoring model).

    One per patient and day, not per program: it asks about the patient's body, once a
    morning, and `program` names the program whose pain limit it is read against.
    """

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.CASCADE, related_name="pain_checks"
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="pain_checks"
    )
    checked_on = models.DateField(_("day"))
    pain_now = models.PositiveSmallIntegerField(
        _("pain now (0-10)"), validators=[MaxValueValidator(10)]
    )
    compared_to_before = models.CharField(
        _("compared to before"), max_length=10, choices=ComparedToBefore.choices
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PainCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("morning pain check")
        verbose_name_plural = _("morning pain checks")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "checked_on"],
                name="pain_check_one_per_patient_day",
                violation_error_message=_("This morning's pain check is already answered."),
            ),
            models.CheckConstraint(
                condition=models.Q(pain_now__lte=10),
                name="pain_check_pain_0_to_10",
                violation_error_message=_("Pain is rated from 0 to 10."),
            ),
            models.CheckConstraint(
                condition=models.Q(compared_to_before__in=ComparedToBefore.values),
                name="pain_check_comparison_known",
                violation_error_message=_("Answer better, about the same or worse."),
            ),
        ]

    def __str__(self):
        return f"{self.patient} on {self.checked_on}: {self.pain_now}/10"

    @property
    def needs_attention(self) -> bool:
        """Worse than before, or pain above the program's limit: the therapist should know."""
        return (
            self.compared_to_before == ComparedToBefore.WORSE
            or self.pain_now > self.program.max_pain
        )


# --- Reminders, digests and the record of what was sent ---------------------------------------


class ReminderSettings(SameClinicAsParent):
    """A patient's reminder choices. Without a row (or with `time` empty) the patient is
    reminded at the therapist's default time of their active program, in the clinic's zone."""

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.OneToOneField(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="reminder_settings",
    )
    enabled = models.BooleanField(_("remind me"), default=True)
    time = models.TimeField(_("time"), null=True, blank=True, validators=[validate_reminder_time])
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_push = models.BooleanField(_("on this phone or computer"), default=False)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("Empty means the clinic's time zone."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReminderSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time__isnull=True)
                | models.Q(time__gte=QUIET_HOURS_END, time__lt=QUIET_HOURS_START),
                name="reminder_settings_time_outside_quiet_hours",
                violation_error_message=QUIET_HOURS_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.patient}: {self.time or '-'}"


class SentReminder(SameClinicAsParent):
    """The claim on one reminder: created before anything is sent, unique per patient, day and
    slot, so any number of workers, retries and restarts send it at most once."""

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(_("slot"), default=1)
    due_at = models.DateTimeField(_("due"))
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day", "slot"],
                name="sent_reminder_once_per_patient_day_slot",
                violation_error_message=_("This reminder was already sent."),
            ),
        ]

    def __str__(self):
        return f"{self.patient} {self.day} #{self.slot}"


class MessageKind(models.TextChoices):
    REMINDER = "reminder", _("reminder")
    DIGEST = "digest", _("daily digest")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PUSH = "push", _("push notification")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("could not be sent")
    SKIPPED = "skipped", _("not sent")


class Delivery(models.Model):
    """One message on one channel: who, what, when, how, and what came of it. Every reminder
    and digest leaves one row per channel, kept as the record of everything sent."""

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    reminder = models.ForeignKey(
        SentReminder,
        verbose_name=_("reminder"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("what"), max_length=12, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("result"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["clinic", "patient", "kind", "-created_at"]),
            models.Index(fields=["clinic", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.channel} {self.status}"

    @property
    def result_text(self) -> str:
        if self.status == DeliveryStatus.DELIVERED:
            if self.channel == Channel.EMAIL:
                return str(_("delivered to the mail server"))
            return str(_("accepted by the push service"))
        return self.get_status_display()


class DigestPreference(models.Model):
    """A therapist's daily digest: on by default; `last_sent_on` is the claim that sends each
    day's digest once, `last_sent_at` where the next digest's window starts."""

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+"
    )
    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("therapist"),
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    enabled = models.BooleanField(_("send me a daily digest"), default=True)
    last_sent_on = models.DateField(_("last sent on"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"{self.therapist}: {'on' if self.enabled else 'off'}"


class PushSubscription(SameClinicAsParent):
    """One browser or phone of a patient that accepted notifications: where the push service
    takes messages for it (`endpoint`) and the keys its messages are encrypted with. Deleted
    when the push service says it is gone (404/410)."""

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("push endpoint"), max_length=800, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("auth secret"), max_length=100)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReminderSettingsQuerySet.as_manager()  # the patient's own rows, the clinic's staff

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.patient}: {self.endpoint[:40]}"


class AttentionReview(SameClinicAsParent):
    """A therapist looked at one reason a patient was on the dashboard ("Mark reviewed").

    Append-only: the newest row per (patient, kind) hides that reason until data newer than
    the review raises it again; the rows keep who reviewed what and when.
    """

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="attention_reviews",
    )
    kind = models.CharField(_("reason"), max_length=20, choices=AttentionKind.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    objects = AttentionReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("attention review")
        verbose_name_plural = _("attention reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AttentionKind.values),
                name="attention_review_kind_known",
                violation_error_message=_("Unknown reason."),
            ),
        ]
        indexes = [models.Index(fields=["patient", "kind", "reviewed_at"])]

    def __str__(self):
        return f"{self.patient}: {self.kind} reviewed {self.reviewed_at:%Y-%m-%d}"


class PatientStatus(SameClinicAsParent):
    """How a patient is doing, as the patient list and the dashboard show it: adherence over
    7 and 30 days, the last logged day and the reasons for attention no review hides.

    Written by programs/status.py whenever a service changes what the figures are made of
    (a log, a pain check, a program, a review, an answered questionnaire), and by a periodic
    task once `stale_after` has passed (the clinic's next day, an invitation turning 3 days
    old), so that no page recomputes them over the logs.
    """

    clinic_parent = "patient"
    clinic = clinic_column()
    patient = models.OneToOneField(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="status",
    )
    as_of = models.DateField(_("figures for the day"))
    computed_at = models.DateTimeField(_("computed"))
    stale_after = models.DateTimeField(_("to compute again from"))
    last_activity = models.DateField(_("last logged day"), null=True, blank=True)
    completed_7 = models.PositiveIntegerField(default=0)
    scheduled_7 = models.PositiveIntegerField(default=0)
    percent_7 = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_30 = models.PositiveIntegerField(default=0)
    scheduled_30 = models.PositiveIntegerField(default=0)
    percent_30 = models.PositiveSmallIntegerField(null=True, blank=True)
    reason_data = models.JSONField(default=list, blank=True)  # Reason.as_json(), most serious first
    reason_count = models.PositiveSmallIntegerField(default=0)
    top_rank = models.PositiveSmallIntegerField(null=True, blank=True)  # null: nothing to see
    hidden_count = models.PositiveSmallIntegerField(default=0)  # reasons marked reviewed
    # The clinic's low-adherence threshold these reasons used: a change in the clinic's
    # settings makes the row old (the clinic's settings cannot call down into programs).
    adherence_threshold = models.PositiveSmallIntegerField(default=0)

    objects = PatientStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient status")
        verbose_name_plural = _("patient statuses")
        indexes = [
            models.Index(
                fields=["clinic", "top_rank", "-reason_count"],
                condition=models.Q(top_rank__isnull=False),
                name="status_needing_attention",
            ),
            models.Index(fields=["stale_after"], name="status_stale_after"),
            models.Index(fields=["clinic", "percent_7"], name="status_percent_7"),
            models.Index(fields=["clinic", "percent_30"], name="status_percent_30"),
            models.Index(fields=["clinic", "last_activity"], name="status_last_activity"),
        ]

    def __str__(self):
        return f"{self.patient_id} as of {self.as_of}"

    @property
    def adherence(self) -> list[Adherence]:
        if not (self.scheduled_7 or self.scheduled_30):
            return []
        return [
            Adherence(days=7, completed=self.completed_7, scheduled=self.scheduled_7),
            Adherence(days=30, completed=self.completed_30, scheduled=self.scheduled_30),
        ]

    @cached_property
    def reasons(self) -> list[Reason]:
        return [Reason.from_json(data) for data in self.reason_data]


# Outcome measures live in their own module of this app (programs/measures/).
from programs.measures.models import (  # noqa: E402, F401
    Instrument,
    MeasureAssignment,
    MeasureResponse,
)
