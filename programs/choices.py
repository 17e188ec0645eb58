from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")


class Side(models.TextChoices):
    BOTH = "both", _("both legs or arms")
    LEFT = "left", _("left")
    RIGHT = "right", _("right")
    EACH = "each_side", _("each side")


class LoadUnit(models.TextChoices):
    KG = "kg", _("kg")
    LB = "lb", _("lb")
    BAND = "band", _("resistance band")


class BandColour(models.TextChoices):
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")
    GREEN = "green", _("green")
    BLUE = "blue", _("blue")
    BLACK = "black", _("black")
    SILVER = "silver", _("silver")
    GOLD = "gold", _("gold")


class AttentionKind(models.TextChoices):
    """Why a patient needs the therapist's attention, most serious first (the order the
    dashboard sorts by)."""

    PAIN_DURING = "pain_during", _("Pain above the limit")
    MORNING = "morning", _("Next morning worse or painful")
    EASE_OFF = "ease_off", _("Consider easing off")
    MEASURE_WORSE = "measure_worse", _("Questionnaire score worse")
    NO_CHECK_OFF = "no_check_off", _("No check-off lately")
    LOW_ADHERENCE = "low_adherence", _("Low adherence")
    NOT_SIGNED_IN = "not_signed_in", _("Invited, not signed in")
    ENDING_SOON = "ending_soon", _("Program ending soon")
    READY = "ready", _("Ready to progress")


ATTENTION_ORDER = {kind: rank for rank, kind in enumerate(AttentionKind.values)}
