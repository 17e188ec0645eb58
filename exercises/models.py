"""The exercise catalog: exercises, equipment, progressions and disclaimers.

Every catalog row has a nullable `clinic`: NULL is the shared library that platform staff
curate (loaded from exercises/library/), otherwise the row belongs to one clinic. Slugs are
unique per owner; two partial unique constraints say so, because a plain (clinic, slug)
constraint lets NULL clinics repeat a slug on every database.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.models import Clinic
from exercises.querysets import CatalogQuerySet, DisclaimerQuerySet, ExerciseQuerySet
from exercises.validators import (
    validate_exercise_image,
    validate_exercise_video,
    validate_http_url,
    validate_poses,
    validate_text_lines,
)

LIBRARY = models.Q(clinic__isnull=True)
CLINIC_OWNED = models.Q(clinic__isnull=False)


def slug_unique_per_owner(prefix: str, message) -> list[models.UniqueConstraint]:
    """Slug unique within each clinic, and unique within the library (clinic NULL)."""
    return [
        models.UniqueConstraint(
            fields=["clinic", "slug"],
            condition=CLINIC_OWNED,
            name=f"{prefix}_slug_unique_per_clinic",
            violation_error_message=message,
        ),
        models.UniqueConstraint(
            fields=["slug"],
            condition=LIBRARY,
            name=f"{prefix}_slug_unique_in_library",
            violation_error_message=message,
        ),
    ]


class CatalogOwned(models.Model):
    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty: part of the shared library every clinic can use."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_library(self) -> bool:
        return self.clinic_id is None


class BodyRegion(models.Model):
    """A shared word list (hip, thigh, knee, ...) curated by platform staff."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("body region")
        verbose_name_plural = _("body regions")

    def __str__(self):
        return self.name


class Muscle(models.Model):
    """A shared word list of muscles or muscle groups, each in one body region."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    body_region = models.ForeignKey(
        BodyRegion,
        verbose_name=_("body region"),
        on_delete=models.PROTECT,
        related_name="muscles",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("muscle")
        verbose_name_plural = _("muscles")

    def __str__(self):
        return self.name


class Equipment(CatalogOwned):
    """Something a patient needs at home. Where `purchase_url` is shown, the affiliate
    disclaimer is shown beside it."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=80, allow_unicode=True)
    purchase_url = models.URLField(
        _("purchase link"),
        max_length=500,
        blank=True,
        validators=[validate_http_url],
        help_text=_("Optional. Shown to patients together with the affiliate-link disclaimer."),
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        constraints = slug_unique_per_owner(
            "equipment", _("This catalog already has equipment with this name.")
        )

    def __str__(self):
        return self.name


class Position(models.TextChoices):
    SUPINE = "supine", _("Lying on the back")
    HOOKLYING = "hooklying", _("Lying on the back, knees bent (hooklying)")
    PRONE = "prone", _("Lying on the stomach (prone)")
    SIDE_LYING = "side_lying", _("Lying on the side")
    HANDS_AND_KNEES = "hands_and_knees", _("On hands and knees")
    KNEELING = "kneeling", _("Kneeling")
    SITTING = "sitting", _("Sitting")
    STANDING = "standing", _("Standing")


class Difficulty(models.IntegerChoices):
    VERY_EASY = 1, _("1 – very easy")
    EASY = 2, _("2 – easy")
    MODERATE = 3, _("3 – moderate")
    HARD = 4, _("4 – hard")
    VERY_HARD = 5, _("5 – very hard")


class Exercise(CatalogOwned):
    """One exercise as the catalog describes it. Programs prescribe their own dosage; the
    defaults here are the starting point. Once a program uses it, it is archived
    (`is_active` False), never deleted."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("short name"),
        max_length=80,
        allow_unicode=True,
        help_text=_("Used in exports and imports. Leave empty to make one from the name."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    instructions = models.JSONField(
        _("steps"),
        default=list,
        validators=[validate_text_lines],
        error_messages={"blank": _("Add at least one step.")},
        help_text=_("What to do, in order."),
    )
    cues = models.JSONField(
        _("form and safety cues"),
        default=list,
        blank=True,
        validators=[validate_text_lines],
        help_text=_("Points to watch, e.g. “Keep your knees behind your toes.”"),
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    starting_position = models.CharField(
        _("starting position"),
        max_length=300,
        help_text=_("How to set up before the first repetition."),
    )
    body_regions = models.ManyToManyField(
        BodyRegion, verbose_name=_("body regions"), related_name="exercises", blank=True
    )
    muscles = models.ManyToManyField(
        Muscle, verbose_name=_("muscles"), related_name="exercises", blank=True
    )
    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("equipment"), related_name="exercises", blank=True
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.EASY
    )
    default_sets = models.PositiveSmallIntegerField(
        _("sets"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    default_reps = models.PositiveSmallIntegerField(
        _("repetitions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    default_hold_seconds = models.PositiveSmallIntegerField(
        _("hold (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    per_side = models.BooleanField(
        _("each side"),
        default=False,
        help_text=_("The repetitions are done with each leg or arm in turn."),
    )
    video_url = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[validate_http_url],
        help_text=_("Optional. A web address starting with https://."),
    )
    image = models.ImageField(
        _("image"),
        upload_to="exercises/%Y/%m/",
        blank=True,
        validators=[validate_exercise_image],
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    video = models.FileField(
        _("video"),
        upload_to="exercises/videos/%Y/%m/",
        max_length=200,
        blank=True,
        validators=[validate_exercise_video],
        help_text=_("Optional. An MP4 or WebM video of the exercise."),
    )
    video_poster = models.ImageField(
        _("video poster"),
        upload_to="exercises/posters/%Y/%m/",
        max_length=200,
        blank=True,
        validators=[validate_exercise_image],
        help_text=_("Optional. A still picture shown before the video plays."),
    )
    poses = models.JSONField(
        _("drawn poses"),
        default=dict,
        blank=True,
        validators=[validate_poses],
        help_text=_("The start and end pose the exercise's pictures are drawn from."),
    )
    beyond_source = models.BooleanField(
        _("added beyond the source"),
        default=False,
        help_text=_(
            "The library's therapists added this exercise; the source page the library is "
            "written from does not have it. Users see a note saying so."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Archived exercises stay in existing programs but are not offered for new ones."
        ),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        related_name="copies",
        null=True,
        blank=True,
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            *slug_unique_per_owner(
                "exercise",
                _("This catalog already has an exercise with this name or short name."),
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5),
                name="exercise_difficulty_1_to_5",
                violation_error_message=_("Difficulty is a number from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=(
                    (models.Q(default_sets__isnull=True) | models.Q(default_sets__gte=1))
                    & (models.Q(default_reps__isnull=True) | models.Q(default_reps__gte=1))
                    & (
                        models.Q(default_hold_seconds__isnull=True)
                        | models.Q(default_hold_seconds__gte=1)
                    )
                ),
                name="exercise_dosage_positive",
                violation_error_message=_("Sets, repetitions and hold time must be above zero."),
            ),
        ]
        indexes = [models.Index(fields=["clinic", "is_active", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:exercise_detail", args=[self.pk])

    @property
    def is_illustrated(self) -> bool:
        return bool(self.poses)

    @property
    def illustration_alt(self) -> dict:
        """Text alternatives for the drawn pictures: the start, the end and the movement."""
        start = _("Drawing of the starting position: %(position)s") % {
            "position": self.starting_position
        }
        step = self.instructions[0] if self.instructions else self.summary
        end = _("Drawing of the end of the movement: %(step)s") % {"step": step}
        moving = _("Moving drawing of %(name)s: %(summary)s") % {
            "name": self.name,
            "summary": self.summary,
        }
        return {"start": start, "end": end, "animated": moving}

    @property
    def dosage_text(self) -> str:
        """The default dosage in words, e.g. “2 sets of 10 repetitions, hold 3 seconds”."""
        parts = []
        if self.default_sets and self.default_reps:
            parts.append(
                ngettext(
                    "%(sets)d set of %(reps)d",
                    "%(sets)d sets of %(reps)d",
                    self.default_sets,
                )
                % {"sets": self.default_sets, "reps": self.default_reps}
            )
        elif self.default_sets:
            parts.append(
                ngettext("%(sets)d set", "%(sets)d sets", self.default_sets)
                % {"sets": self.default_sets}
            )
        elif self.default_reps:
            parts.append(
                ngettext("%(reps)d repetition", "%(reps)d repetitions", self.default_reps)
                % {"reps": self.default_reps}
            )
        if self.default_hold_seconds:
            parts.append(
                ngettext(
                    "hold %(seconds)d second",
                    "hold %(seconds)d seconds",
                    self.default_hold_seconds,
                )
                % {"seconds": self.default_hold_seconds}
            )
        if parts and self.per_side:
            parts.append(str(_("each side")))
        return ", ".join(parts)


class ProgressionSeries(CatalogOwned):
    """An easier-to-harder ladder of exercises, e.g. bridge -> single-leg bridge."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("short name"),
        max_length=80,
        allow_unicode=True,
        help_text=_("Used in exports and imports. Leave empty to make one from the name."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("progression series")
        verbose_name_plural = _("progression series")
        constraints = slug_unique_per_owner(
            "series", _("This catalog already has a progression series with this name.")
        )

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:series_detail", args=[self.pk])


MAX_MASTERY_SESSIONS = 14
# The mastery rule's fields and their names in catalog files ("rule": {...}).
MASTERY_FIELDS = {
    "sessions": "mastery_sessions",
    "sets": "mastery_sets",
    "reps": "mastery_reps",
    "hold_seconds": "mastery_hold_seconds",
    "max_pain": "mastery_max_pain",
    "feels": "mastery_feels",
    "morning_not_worse": "mastery_morning_not_worse",
}


class MasteryFeel(models.TextChoices):
    """How hard the last sessions may have felt (the patient's log answers, same values)."""

    EASY = "easy", _("easy")
    ABOUT_RIGHT = "about_right", _("about right")


class ProgressionStep(models.Model):
    """One rung of a series. `advance_when` says in words when a patient is ready for the
    next rung, e.g. “15 easy, pain-free repetitions on 3 days in a row”."""

    series = models.ForeignKey(
        ProgressionSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    exercise = models.ForeignKey(
        Exercise,
        verbose_name=_("exercise"),
        on_delete=models.PROTECT,
        related_name="progression_steps",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    advance_when = models.TextField(
        _("move on when"),
        blank=True,
        help_text=_("The mastery criterion, in words the patient understands."),
    )
    # The same criterion as rules the logs are checked against (programs.readiness). Empty
    # sets/reps/hold mean "the prescribed dose".
    mastery_sessions = models.PositiveSmallIntegerField(
        _("sessions in a row"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MASTERY_SESSIONS)],
    )
    mastery_sets = models.PositiveSmallIntegerField(
        _("at least sets"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Leave empty for the prescribed sets."),
    )
    mastery_reps = models.PositiveSmallIntegerField(
        _("at least repetitions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Leave empty for the prescribed repetitions."),
    )
    mastery_hold_seconds = models.PositiveSmallIntegerField(
        _("at least hold (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    mastery_max_pain = models.PositiveSmallIntegerField(
        _("pain at most (0-10)"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("0-2 is the safe zone of the pain monitoring model."),
    )
    mastery_feels = models.CharField(
        _("feels at most"),
        max_length=12,
        choices=MasteryFeel.choices,
        default=MasteryFeel.EASY,
    )
    mastery_morning_not_worse = models.BooleanField(_("next morning not worse"), default=True)

    class Meta:
        ordering = ["series", "position"]
        verbose_name = _("progression step")
        verbose_name_plural = _("progression steps")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    mastery_sessions__gte=1, mastery_sessions__lte=MAX_MASTERY_SESSIONS
                )
                & models.Q(mastery_max_pain__lte=10),
                name="step_mastery_rule_in_range",
                violation_error_message=_(
                    "Sessions in a row are 1 to 14 and pain is rated from 0 to 10."
                ),
            ),
            models.UniqueConstraint(
                fields=["series", "position"],
                name="step_position_unique_per_series",
                violation_error_message=_("Two steps of a series cannot share a position."),
            ),
            models.UniqueConstraint(
                fields=["series", "exercise"],
                name="step_exercise_once_per_series",
                violation_error_message=_("This exercise is already a step of this series."),
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1),
                name="step_position_from_1",
                violation_error_message=_("Step positions start at 1."),
            ),
        ]

    def __str__(self):
        return f"{self.series} #{self.position}: {self.exercise}"

    @property
    def rule(self) -> dict:
        """The mastery rule as a catalog file writes it."""
        return {key: getattr(self, field) for key, field in MASTERY_FIELDS.items()}

    @property
    def rule_text(self) -> str:
        """The rule in one line for the therapist, generated from the fields, e.g. “3 × 15,
        5-second hold, pain at most 2/10, feels easy, 3 sessions in a row, next morning not
        worse”."""
        parts = []
        if self.mastery_sets and self.mastery_reps:
            parts.append(f"{self.mastery_sets} × {self.mastery_reps}")
        elif self.mastery_reps:
            parts.append(_("%(reps)d repetitions") % {"reps": self.mastery_reps})
        elif self.mastery_sets:
            parts.append(_("%(sets)d sets") % {"sets": self.mastery_sets})
        else:
            parts.append(_("the prescribed dose"))
        if self.mastery_hold_seconds:
            parts.append(_("%(s)d-second hold") % {"s": self.mastery_hold_seconds})
        parts.append(_("pain at most %(pain)d/10") % {"pain": self.mastery_max_pain})
        parts.append(_("feels %(feel)s") % {"feel": self.get_mastery_feels_display()})
        parts.append(
            ngettext("%(n)d session in a row", "%(n)d sessions in a row", self.mastery_sessions)
            % {"n": self.mastery_sessions}
        )
        if self.mastery_morning_not_worse:
            parts.append(_("next morning not worse"))
        return ", ".join(str(part) for part in parts)

    def clean(self):
        super().clean()
        # A series may use the library and its own clinic's exercises, nothing else.
        if self.series_id and self.exercise_id:
            series_clinic = self.series.clinic_id
            exercise_clinic = self.exercise.clinic_id
            if exercise_clinic is not None and exercise_clinic != series_clinic:
                raise ValidationError(
                    {"exercise": _("Choose an exercise from the library or your own clinic.")}
                )


class DisclaimerKind(models.TextChoices):
    MEDICAL = "medical", _("Medical disclaimer")
    AFFILIATE = "affiliate", _("Affiliate-link disclaimer")


class Disclaimer(models.Model):
    """One published version of a disclaimer. Versions are never edited: a change is a new
    version. A clinic's newest version of a kind is its current one; a clinic without its own
    uses the newest default (clinic NULL)."""

    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty: the default every clinic uses until it publishes its own."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DisclaimerKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = DisclaimerQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("disclaimer")
        verbose_name_plural = _("disclaimers")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "kind", "version"],
                condition=CLINIC_OWNED,
                name="disclaimer_version_unique_per_clinic",
                violation_error_message=_("This version of the disclaimer already exists."),
            ),
            models.UniqueConstraint(
                fields=["kind", "version"],
                condition=LIBRARY,
                name="disclaimer_version_unique_default",
                violation_error_message=_("This version of the disclaimer already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1),
                name="disclaimer_version_from_1",
                violation_error_message=_("Versions start at 1."),
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_default(self) -> bool:
        return self.clinic_id is None
