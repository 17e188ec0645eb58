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
