"""The fixed rules of reminders, in one place for the models, forms, serializers and the
sender: quiet hours (21:00-07:00, never used), the single daily slot, and how long a reminder
may be late after a missed minute (a stopped worker catches up, never twice)."""

from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

QUIET_HOURS_START = time(21, 0)
QUIET_HOURS_END = time(7, 0)
# What the "new program" form suggests: reminders help most patients, so they start on.
DEFAULT_REMINDER_TIME = time(18, 0)
QUIET_HOURS_MESSAGE = _("Choose a time between 07:00 and 21:00: we never remind at night.")

# One reminder a day for now; the slot is part of the sent-reminder key, so more a day (one per
# session) can come later without a new constraint.
DAILY_SLOT = 1

# A reminder due at 08:00 still goes at 08:14 if the worker was down at 08:00 (the periodic
# task runs every minute); later than that it is stale and is skipped.
CATCH_UP = timedelta(minutes=15)


def in_quiet_hours(value: time) -> bool:
    return not (QUIET_HOURS_END <= value < QUIET_HOURS_START)


def validate_reminder_time(value: time) -> None:
    if value is not None and in_quiet_hours(value):
        raise ValidationError(QUIET_HOURS_MESSAGE, code="quiet_hours")
