"""history_for_patient: per-day completion, adherence over 7 and 30 days, and the streak."""

import datetime

from portal.selectors import history_for_patient
from programs.models import ExerciseLog


def log_days(patient, item, today, offsets, session=1):
    for n in offsets:
        ExerciseLog.objects.create(
            program_item=item,
            clinic=patient.clinic,
            patient=patient,
            performed_on=today - datetime.timedelta(days=n),
            session=session,
        )


def test_streak_counts_complete_days_back_from_yesterday(patient, item, today):
    log_days(patient, item, today, [1, 2, 3, 5])
    history = history_for_patient(patient, today)
    assert history.streak == 3  # today in progress does not break it; day 4 does
    assert not history.streak_capped


def test_today_joins_the_streak_when_complete(patient, item, today):
    log_days(patient, item, today, [0, 1])
    assert history_for_patient(patient, today).streak == 2


def test_rest_days_do_not_break_the_streak(patient, item, active_program, today):
    rest = (today - datetime.timedelta(days=2)).weekday()
    active_program.weekdays = 0b1111111 & ~(1 << rest)
    active_program.save()
    log_days(patient, item, today, [1, 3])
    assert history_for_patient(patient, today).streak == 2


def test_a_partly_done_day_breaks_the_streak(patient, item, second_item, today):
    log_days(patient, item, today, [1, 2])
    log_days(patient, second_item, today, [1])
    history = history_for_patient(patient, today)
    assert history.streak == 1
    day2 = next(r for r in history.days if r.day == today - datetime.timedelta(days=2))
    assert (day2.status, day2.completed, day2.scheduled) == ("partial", 1, 2)


def test_adherence_reuses_the_programs_figures(patient, item, today):
    log_days(patient, item, today, range(0, 6))
    seven, thirty = history_for_patient(patient, today).adherence
    assert (seven.days, seven.completed, seven.scheduled, seven.percent) == (7, 6, 7, 86)
    assert (thirty.days, thirty.completed, thirty.scheduled) == (30, 6, 30)
    assert seven.is_adherent and not thirty.is_adherent


def test_weeks_are_newest_first_and_end_today(patient, item, today):
    weeks = history_for_patient(patient, today).weeks()
    monday = today - datetime.timedelta(days=today.weekday())

    assert len(weeks) == 4
    # this week: Monday up to today (the program started long before)
    assert [record.day for record in weeks[0]] == [
        monday + datetime.timedelta(days=n) for n in range(today.weekday() + 1)
    ]
    # the earlier weeks: whole, Monday to Sunday, one week further back each
    for back, week in enumerate(weeks[1:], start=1):
        start = monday - datetime.timedelta(weeks=back)
        assert [record.day for record in week] == [
            start + datetime.timedelta(days=n) for n in range(7)
        ]


def test_no_program(patient, today):
    history = history_for_patient(patient, today)
    assert not history.has_active_program
    assert history.streak == 0
    assert history.adherence == []


def test_days_before_the_program_started_are_not_shown(patient, item, active_program, today):
    active_program.start_date = today - datetime.timedelta(days=2)
    active_program.save()
    days = [record.day for week in history_for_patient(patient, today).weeks() for record in week]
    assert min(days) == today - datetime.timedelta(days=2)
    assert max(days) == today
