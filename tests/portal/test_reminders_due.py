"""Who gets a reminder when: the schedule, a paused program, a day already done, quiet hours,
time zones (the patient's own or the clinic's), the therapist's default time, daylight
saving, and at most one reminder per patient, day and slot.

`reminders_claim_due(now)` takes the moment explicitly, so each test says when it runs.
"""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from portal.reminders import reminder_claim, reminders_claim_due
from portal.services import reminder_settings_update
from programs.models import Channel, Delivery, ProgramItem, ProgramStatus, SentReminder
from tests.factories import (
    ExerciseLogFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    ReminderSettingsFactory,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC


def at(day: datetime.date, hour: int, minute: int = 0, zone=UTC) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def prescribe(clinic, patient, therapist, *, start, weekdays=0b1111111, reminder_time=None):
    program = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        status=ProgramStatus.ACTIVE,
        start_date=start,
        weekdays=weekdays,
        reminder_time=reminder_time,
    )
    item = ProgramItemFactory(program=program, position=1)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=at(start, 0))
    item.refresh_from_db()
    return program, item


@pytest.fixture(autouse=True)
def clinic_in_utc(clinic):
    clinic.timezone = "UTC"
    clinic.save()


@pytest.fixture
def monday():
    return datetime.date(2026, 11, 23)


@pytest.fixture
def paula_at_eight(clinic, patient, therapist, monday):
    """paula: an every-day program since a month before `monday`, reminders at 08:00 UTC."""
    program, item = prescribe(clinic, patient, therapist, start=monday - datetime.timedelta(30))
    ReminderSettingsFactory(patient=patient, time=datetime.time(8, 0))
    return program, item


def claimed_days(patient):
    return list(SentReminder.objects.filter(patient=patient).values_list("day", flat=True))


def test_due_at_the_chosen_minute_with_an_email_delivery(patient, paula_at_eight, monday):
    assert reminders_claim_due(at(monday, 7, 59)) == []
    deliveries = reminders_claim_due(at(monday, 8, 0))
    assert [(d.patient, d.channel, d.status) for d in deliveries] == [
        (patient, Channel.EMAIL, "pending")
    ]
    claim = SentReminder.objects.get()
    assert (claim.day, claim.slot, claim.due_at) == (monday, 1, at(monday, 8, 0))


def test_a_late_worker_catches_up_within_15_minutes_but_not_later(patient, paula_at_eight, monday):
    assert reminders_claim_due(at(monday, 8, 14)) != []
    tuesday = monday + datetime.timedelta(days=1)
    assert reminders_claim_due(at(tuesday, 8, 16)) == []


def test_a_second_run_in_the_same_minute_claims_nothing(patient, paula_at_eight, monday):
    assert len(reminders_claim_due(at(monday, 8, 0))) == 1
    assert reminders_claim_due(at(monday, 8, 0)) == []
    assert reminders_claim_due(at(monday, 8, 5)) == []
    assert claimed_days(patient) == [monday]


def test_the_claim_is_unique_in_the_database(patient, paula_at_eight, monday):
    first = reminder_claim(patient=patient, day=monday, due_at=at(monday, 8))
    assert first is not None
    assert reminder_claim(patient=patient, day=monday, due_at=at(monday, 8)) is None
    with pytest.raises(IntegrityError):
        SentReminder.objects.create(
            clinic=patient.clinic, patient=patient, day=monday, slot=1, due_at=at(monday, 8)
        )


def test_only_on_days_the_program_schedules(clinic, patient, therapist, monday):
    prescribe(clinic, patient, therapist, start=monday - datetime.timedelta(30), weekdays=0b10)
    ReminderSettingsFactory(patient=patient, time=datetime.time(8, 0))
    assert reminders_claim_due(at(monday, 8)) == []  # Monday: not scheduled
    assert len(reminders_claim_due(at(monday + datetime.timedelta(1), 8))) == 1  # Tuesday


def test_not_before_the_program_starts_nor_after_it_ends(clinic, patient, therapist, monday):
    program, _item = prescribe(clinic, patient, therapist, start=monday + datetime.timedelta(1))
    ReminderSettingsFactory(patient=patient, time=datetime.time(8, 0))
    assert reminders_claim_due(at(monday, 8)) == []
    program.start_date = monday - datetime.timedelta(10)
    program.end_date = monday - datetime.timedelta(1)
    program.save()
    assert reminders_claim_due(at(monday, 8)) == []


@pytest.mark.parametrize("status", [ProgramStatus.PAUSED, ProgramStatus.DRAFT, "completed"])
def test_only_while_the_program_is_active(patient, paula_at_eight, monday, status):
    program, _item = paula_at_eight
    program.status = status
    program.save()
    assert reminders_claim_due(at(monday, 8)) == []


def test_not_when_the_day_is_already_done(patient, paula_at_eight, monday):
    _program, item = paula_at_eight
    ExerciseLogFactory(program_item=item, performed_on=monday)
    assert reminders_claim_due(at(monday, 8)) == []
    assert claimed_days(patient) == []


def test_a_day_half_done_still_gets_its_reminder(clinic, patient, paula_at_eight, monday):
    program, item = paula_at_eight
    second = ProgramItemFactory(program=program, position=2)
    ProgramItem.objects.filter(pk=second.pk).update(created_at=at(program.start_date, 0))
    ExerciseLogFactory(program_item=item, performed_on=monday)
    assert len(reminders_claim_due(at(monday, 8))) == 1


def test_not_when_turned_off_or_every_channel_is_off(patient, paula_at_eight, monday):
    reminder_settings_update(patient=patient, enabled=False)
    assert reminders_claim_due(at(monday, 8)) == []
    reminder_settings_update(patient=patient, enabled=True, by_email=False)
    assert reminders_claim_due(at(monday, 8)) == []
    assert claimed_days(patient) == []


def test_not_for_an_inactive_patient_or_one_without_an_account(
    clinic, patient, paula_at_eight, therapist, monday
):
    patient.is_active = False
    patient.save()
    invited = PatientWithAccountFactory(clinic=clinic, user=None)
    prescribe(clinic, invited, therapist, start=monday - datetime.timedelta(30))
    ReminderSettingsFactory(patient=invited, time=datetime.time(8, 0))
    assert reminders_claim_due(at(monday, 8)) == []


def test_the_therapists_default_time_until_the_patient_chooses(clinic, patient, therapist, monday):
    prescribe(
        clinic,
        patient,
        therapist,
        start=monday - datetime.timedelta(30),
        reminder_time=datetime.time(18, 0),
    )
    assert reminders_claim_due(at(monday, 8)) == []
    assert len(reminders_claim_due(at(monday, 18))) == 1
    tuesday = monday + datetime.timedelta(1)
    reminder_settings_update(patient=patient, time=datetime.time(9, 30))
    assert reminders_claim_due(at(tuesday, 18)) == []
    assert len(reminders_claim_due(at(tuesday, 9, 30))) == 1


def test_no_time_at_all_means_no_reminder(clinic, patient, therapist, monday):
    prescribe(clinic, patient, therapist, start=monday - datetime.timedelta(30))
    for hour in range(7, 21):
        assert reminders_claim_due(at(monday, hour)) == []


def test_the_clinics_time_zone_decides_when_eight_is(clinic, patient, paula_at_eight, monday):
    clinic.timezone = "America/New_York"
    clinic.save()
    assert reminders_claim_due(at(monday, 8)) == []  # 03:00 in New York
    assert len(reminders_claim_due(at(monday, 8, zone=NEW_YORK))) == 1


def test_the_patients_own_time_zone_wins(clinic, patient, paula_at_eight, monday):
    clinic.timezone = "America/New_York"
    clinic.save()
    reminder_settings_update(patient=patient, timezone="Asia/Tokyo")
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert reminders_claim_due(at(monday, 8, zone=NEW_YORK)) == []
    assert len(reminders_claim_due(at(monday, 8, zone=tokyo))) == 1


def test_quiet_hours_can_never_be_chosen(patient, therapist, clinic):
    for late in (datetime.time(21, 0), datetime.time(23, 30), datetime.time(6, 59)):
        with pytest.raises(ValidationError) as error:
            reminder_settings_update(patient=patient, time=late)
        assert "07:00 and 21:00" in str(error.value)
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    program.reminder_time = datetime.time(22, 0)
    with pytest.raises(ValidationError):
        program.full_clean()


def test_quiet_hours_are_a_database_constraint_too(patient):
    settings_row = ReminderSettingsFactory(patient=patient)
    settings_row.time = datetime.time(3, 0)
    with pytest.raises(IntegrityError):
        settings_row.save()


def test_a_catch_up_never_runs_into_quiet_hours(patient, paula_at_eight, monday):
    reminder_settings_update(patient=patient, time=datetime.time(20, 55))
    assert reminders_claim_due(at(monday, 21, 1)) == []
    assert len(reminders_claim_due(at(monday, 20, 58))) == 1


def run_every_quarter_hour(start: datetime.datetime, hours: int) -> int:
    """The periodic task as a stopped-and-started worker would run it: every 15 minutes (the
    catch-up window), so each minute of the day is covered exactly once."""
    claims = 0
    now = start
    for _step in range(hours * 4):
        claims += len(reminders_claim_due(now))
        now += datetime.timedelta(minutes=15)
    return claims


@pytest.mark.parametrize(
    ("day_before", "change_day"),
    [
        (datetime.date(2026, 3, 7), datetime.date(2026, 3, 8)),  # spring: 02:00 -> 03:00
        (datetime.date(2026, 10, 31), datetime.date(2026, 11, 1)),  # autumn: 02:00 -> 01:00
    ],
)
@pytest.mark.parametrize("reminder", [datetime.time(7, 0), datetime.time(8, 0)])
def test_daylight_saving_neither_skips_nor_doubles(
    clinic, patient, therapist, day_before, change_day, reminder
):
    clinic.timezone = "America/New_York"
    clinic.save()
    prescribe(clinic, patient, therapist, start=datetime.date(2026, 1, 1))
    ReminderSettingsFactory(patient=patient, time=reminder)
    # Three local days around the change, UTC stepping evenly.
    start = at(day_before, 0, zone=NEW_YORK).astimezone(UTC)
    assert run_every_quarter_hour(start, hours=72) == 3
    claims = SentReminder.objects.order_by("day")
    assert [c.day for c in claims] == [
        day_before,
        change_day,
        change_day + datetime.timedelta(1),
    ]
    assert {c.due_at.astimezone(NEW_YORK).time() for c in claims} == {reminder}
    # The local time stays, so the UTC time moves by the hour of the change.
    utc_hours = [c.due_at.astimezone(UTC).hour for c in claims]
    assert utc_hours[0] != utc_hours[2]


def test_one_run_costs_the_same_queries_whatever_the_patients_not_due(
    clinic, therapist, monday, django_assert_max_num_queries
):
    for n in range(30):
        someone = PatientWithAccountFactory(clinic=clinic, email=f"p{n}@example.org")
        prescribe(clinic, someone, therapist, start=monday - datetime.timedelta(30))
        ReminderSettingsFactory(patient=someone, time=datetime.time(10, 0))
    with django_assert_max_num_queries(3):  # zones (2) + one per zone
        assert reminders_claim_due(at(monday, 8)) == []


def test_each_due_patient_gets_one_email_delivery_record(clinic, therapist, monday):
    for n in range(3):
        someone = PatientWithAccountFactory(clinic=clinic, email=f"p{n}@example.org")
        prescribe(clinic, someone, therapist, start=monday - datetime.timedelta(30))
        ReminderSettingsFactory(patient=someone, time=datetime.time(8, 0))
    assert len(reminders_claim_due(at(monday, 8))) == 3
    assert Delivery.objects.filter(channel=Channel.EMAIL, status="pending").count() == 3
