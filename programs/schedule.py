"""Days of the week as a program stores them: a bit mask, Monday = bit 0 (as `date.weekday()`).

The web form and the API both turn a list of days into the mask here, with the same messages.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ALL_WEEKDAYS = 0b1111111

WEEKDAY_CHOICES = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


def weekdays_to_mask(days) -> int:
    """[0, 2, 4] -> the mask of Monday, Wednesday and Friday. At least one day, each at most
    once, numbers 0-6."""
    days = list(days)
    if not days:
        raise ValidationError(_("Choose at least one day of the week."))
    if len(days) != len(set(days)):
        raise ValidationError(_("Give each day of the week at most once."))
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in days):
        raise ValidationError(_("Days of the week are numbered 0 (Monday) to 6 (Sunday)."))
    return sum(1 << day for day in days)


def mask_to_weekdays(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


def weekdays_text(mask: int) -> str:
    """“Every day” or the days' names, e.g. “Monday, Wednesday, Friday”."""
    if mask == ALL_WEEKDAYS:
        return _("Every day")
    return ", ".join(str(label) for number, label in WEEKDAY_CHOICES if mask & (1 << number))
