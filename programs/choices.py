from django.db import models
from django.utils.translation import gettext_lazy as _


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


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
