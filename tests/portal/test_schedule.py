"""Which exercises are due on a day: weekdays, start and end dates, program status, the
item's own dates, sessions, and the clinic's time zone around midnight."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from portal.selectors import day_plan_for_patient
from programs.models import ProgramItem, ProgramStatus
from tests.factories import ExerciseLogFactory, ProgramFactory, ProgramItemFactory, backdate

MONDAY = 0b0000001
MON_WED_FRI = 0b0010101


def names(plan):
    return [entry.item.exercise.name for entry in plan.entries]


def next_weekday(start: datetime.date, weekday: int) -> datetime.date:
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def test_every_day_program_is_due_today(patient, item, clinic):
    plan = day_plan_for_patient(patient, clinic.today())
    assert names(plan) == ["Bridge"]
    assert plan.has_active_program


@pytest.mark.parametrize(
    ("weekday", "due"), [(0, True), (1, False), (2, True), (3, False), (4, True), (5, False)]
)
def test_weekdays_decide(patient, item, active_program, clinic, weekday, due):
    active_program.weekdays = MON_WED_FRI
    active_program.save()
    day = next_weekday(clinic.today() - datetime.timedelta(days=7), weekday)
    assert bool(day_plan_for_patient(patient, day).entries) is due


def test_before_the_start_date_nothing_is_due(patient, item, active_program, clinic):
    active_program.start_date = clinic.today() + datetime.timedelta(days=1)
    active_program.save()
    plan = day_plan_for_patient(patient, clinic.today())
    assert plan.entries == []
    assert plan.has_active_program  # the "rest day" message, not "no program yet"


def test_end_date_is_the_last_day(patient, item, active_program, clinic):
    today = clinic.today()
    active_program.end_date = today
    active_program.save()
    assert names(day_plan_for_patient(patient, today)) == ["Bridge"]
    assert day_plan_for_patient(patient, today + datetime.timedelta(days=1)).entries == []


@pytest.mark.parametrize(
    "status", [ProgramStatus.PAUSED, ProgramStatus.DRAFT, ProgramStatus.COMPLETED]
)
def test_programs_that_are_not_active_show_nothing(patient, item, active_program, clinic, status):
    active_program.status = status
    active_program.save()
    plan = day_plan_for_patient(patient, clinic.today())
    assert plan.entries == []
    assert not plan.has_active_program


def test_retired_items_are_not_due(patient, item, second_item, clinic):
    ProgramItem.objects.filter(pk=second_item.pk).update(retired_at=item.created_at)
    assert names(day_plan_for_patient(patient, clinic.today())) == ["Bridge"]


def test_an_item_prescribed_today_is_not_due_on_earlier_days(patient, item, active_program, clinic):
    new = ProgramItemFactory(program=active_program, position=5)  # created now
    today = clinic.today()
    assert new.exercise.name in names(day_plan_for_patient(patient, today))
    yesterday = today - datetime.timedelta(days=1)
    assert new.exercise.name not in names(day_plan_for_patient(patient, yesterday))


def test_several_sessions_each_with_its_own_log(patient, item, active_program, clinic):
    active_program.sessions_per_day = 2
    active_program.save()
    today = clinic.today()
    ExerciseLogFactory(program_item=item, patient=patient, performed_on=today, session=2)
    plan = day_plan_for_patient(patient, today)
    sessions = plan.programs[0].sessions
    assert [session.number for session in sessions] == [1, 2]
    assert [entry.is_done for entry in sessions[0].entries] == [False]
    assert [entry.is_done for entry in sessions[1].entries] == [True]
    assert (plan.done, plan.total) == (1, 2)


def test_the_today_page_shows_each_session(client_for, patient, accepted, item, active_program):
    active_program.sessions_per_day = 3
    active_program.save()
    html = client_for(patient.user).get(reverse("portal_home")).content.decode()
    assert "Session 1 of 3" in html and "Session 3 of 3" in html
    assert html.count('class="button button--check"') == 3


def test_another_patients_programs_never_appear(patient, item, other_patient_item, clinic):
    assert names(day_plan_for_patient(patient, clinic.today())) == ["Bridge"]


def test_two_active_programs_both_show(patient, item, clinic, therapist):
    second = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        title="Shoulder",
        start_date=item.program.start_date,
    )
    backdate(ProgramItemFactory(program=second, position=1), 3)
    plan = day_plan_for_patient(patient, clinic.today())
    assert [p.program.title for p in plan.programs] == ["Hamstring strengthening", "Shoulder"]


class TestClinicTimeZoneNearMidnight:
    """New York clinic, program on Mondays only. 23:30 on Monday in New York is already
    Tuesday in UTC: the patient still sees Monday's exercises and may log Monday, not Tuesday."""

    NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
    MONDAY_LATE = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=NEW_YORK)  # 03:30 UTC Tuesday
    TUESDAY_EARLY = datetime.datetime(2026, 3, 10, 0, 30, tzinfo=NEW_YORK)

    @pytest.fixture
    def monday_program(self, clinic, patient, therapist):
        clinic.timezone = "America/New_York"
        clinic.save()
        with time_machine.travel(
            datetime.datetime(2026, 3, 1, 12, tzinfo=self.NEW_YORK), tick=False
        ):
            program = ProgramFactory(
                clinic=clinic,
                patient=patient,
                therapist=therapist,
                weekdays=MONDAY,
                start_date=datetime.date(2026, 3, 1),
            )
            ProgramItemFactory(program=program, position=1)
        return program

    def test_late_monday_evening_is_still_monday(self, monday_program, patient, clinic):
        with time_machine.travel(self.MONDAY_LATE, tick=False):
            assert clinic.today() == datetime.date(2026, 3, 9)
            assert len(day_plan_for_patient(patient, clinic.today()).entries) == 1

    def test_just_after_midnight_it_is_tuesday(self, monday_program, patient, clinic):
        with time_machine.travel(self.TUESDAY_EARLY, tick=False):
            assert clinic.today() == datetime.date(2026, 3, 10)
            assert day_plan_for_patient(patient, clinic.today()).entries == []

    def test_the_page_and_the_check_off_use_the_clinic_day(
        self, monday_program, patient, accepted, client_for
    ):
        item = monday_program.items.get()
        client = client_for(patient.user)
        with time_machine.travel(self.MONDAY_LATE, tick=False):
            html = client.get(reverse("portal_home")).content.decode()
            assert "Monday 9 March" in html
            assert item.exercise.name in html
            # The UTC date (Tuesday) is the clinic's future: refused.
            client.post(
                reverse("portal_check", args=[item.pk]), {"day": "2026-03-10", "session": 1}
            )
            assert not item.logs.exists()
            client.post(
                reverse("portal_check", args=[item.pk]), {"day": "2026-03-09", "session": 1}
            )
            assert list(item.logs.values_list("performed_on", flat=True)) == [
                datetime.date(2026, 3, 9)
            ]
