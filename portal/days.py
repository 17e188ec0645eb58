"""Which days a patient may log: today and up to a week back (clinic time zone), never later."""

from datetime import date, timedelta

LOG_BACK_DAYS = 7


def log_window(today: date) -> tuple[date, date]:
    """The first and last day a patient may log, `today` being the clinic's today."""
    return today - timedelta(days=LOG_BACK_DAYS), today


def loggable_days(today: date) -> list[date]:
    """The past days a missed check-off can still be logged for, newest first."""
    return [today - timedelta(days=n) for n in range(1, LOG_BACK_DAYS + 1)]
