"""Several workers claiming the same reminder at once: exactly one wins, one e-mail is
recorded. PostgreSQL only (SQLite serializes writes, so there is no race to lose)."""

import datetime

import pytest

from portal.reminders import reminder_claim, reminders_claim_due
from programs.models import Delivery, ProgramItem, ProgramStatus, SentReminder
from tests.factories import ProgramFactory, ProgramItemFactory, ReminderSettingsFactory
from tests.portal.test_concurrency import postgresql_only, run_at_once  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)
EIGHT = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def due_patient(clinic, patient, therapist):
    clinic.timezone = "UTC"
    clinic.save()
    program = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        status=ProgramStatus.ACTIVE,
        start_date=MONDAY - datetime.timedelta(days=30),
    )
    item = ProgramItemFactory(program=program, position=1)
    ProgramItem.objects.filter(pk=item.pk).update(created_at=EIGHT - datetime.timedelta(days=30))
    ReminderSettingsFactory(patient=patient, time=datetime.time(8, 0))
    return patient


def test_two_connections_claiming_one_reminder_one_wins(due_patient):
    won = []
    errors = run_at_once(
        lambda n: won.append(reminder_claim(patient=due_patient, day=MONDAY, due_at=EIGHT)),
        count=2,
    )
    assert errors == []
    assert len([claim for claim in won if claim is not None]) == 1
    assert SentReminder.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_eight_workers_running_the_periodic_task_at_once_claim_once(due_patient):
    found = []
    errors = run_at_once(lambda n: found.extend(reminders_claim_due(EIGHT)), count=8)
    assert errors == []
    assert len(found) == 1
    assert SentReminder.objects.count() == 1
    assert Delivery.objects.count() == 1
