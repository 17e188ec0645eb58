import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from programs.dosage import dosage_text
from programs.models import Program


def dosage(**overrides):
    base = {
        "sets": 3,
        "reps": 10,
        "hold_seconds": None,
        "side": "both",
        "load_amount": None,
        "load_unit": "",
        "band_colour": "",
    }
    return SimpleNamespace(**{**base, **overrides})


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "3 sets of 10"),
        ({"sets": 1, "reps": 15}, "1 set of 15"),
        (
            {"hold_seconds": 5, "side": "left", "load_amount": Decimal("2.0"), "load_unit": "lb"},
            "3 sets of 10, hold 5 seconds, left side, 2 lb",
        ),
        ({"hold_seconds": 1, "side": "each_side"}, "3 sets of 10, hold 1 second, each side"),
        ({"load_unit": "kg", "load_amount": Decimal("1.5")}, "3 sets of 10, 1.5 kg"),
        ({"load_unit": "band", "band_colour": "red"}, "3 sets of 10, red band"),
    ],
)
def test_dosage_in_plain_words(overrides, expected):
    assert dosage_text(dosage(**overrides)) == expected


def test_schedule_respects_weekdays_and_dates():
    program = Program(
        start_date=datetime.date(2026, 11, 2),  # a Monday
        end_date=datetime.date(2026, 11, 13),
        weekdays=0b0010101,  # Monday, Wednesday, Friday
    )

    scheduled = [
        day
        for day in (datetime.date(2026, 11, 1) + datetime.timedelta(days=n) for n in range(16))
        if program.is_scheduled_on(day)
    ]

    assert [day.day for day in scheduled] == [2, 4, 6, 9, 11, 13]
    assert program.schedule_text == "Monday, Wednesday, Friday"
