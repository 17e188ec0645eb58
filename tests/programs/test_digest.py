"""The therapist's daily digest: patients with pain above the limit or a "worse" morning since
the last digest, and the dashboard's other new reasons; on by default, can be turned off;
once a day however many workers run it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from programs.digest import digests_claim_due
from programs.models import (
    ComparedToBefore,
    Delivery,
    DigestPreference,
    Program,
    ProgramStatus,
)
from programs.tasks import send_due_digests
from tests.factories import (
    ExerciseLogFactory,
    PainCheckFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
)

SEVEN = datetime.datetime(2026, 11, 24, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def utc_clinic(clinic):
    clinic.timezone = "UTC"
    clinic.save()
    return clinic


@pytest.fixture
def program(utc_clinic, patient, therapist):
    return ProgramFactory(
        clinic=utc_clinic,
        patient=patient,
        therapist=therapist,
        status=ProgramStatus.ACTIVE,
        max_pain=5,
    )


def painful_log(program, pain=8, at=SEVEN - datetime.timedelta(hours=10)):
    item = ProgramItemFactory(program=program)
    with time_machine.travel(at, tick=False):
        return ExerciseLogFactory(program_item=item, pain=pain)


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        send_due_digests()


def test_pain_above_the_limit_is_in_the_digest(program, therapist, patient, settings):
    settings.SITE_URL = "https://clinic.example.org"
    painful_log(program)
    run_at(SEVEN)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [therapist.email]
    assert patient.full_name in message.body
    assert "pain 8/10 during an exercise (limit 5)" in message.body
    assert f"https://clinic.example.org/patients/{patient.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.recipient, delivery.status) == (
        "digest",
        therapist,
        "delivered",
    )


def test_a_worse_morning_is_in_the_digest(program, patient):
    with time_machine.travel(SEVEN - datetime.timedelta(hours=1), tick=False):
        PainCheckFactory(program=program, pain_now=2, compared_to_before=ComparedToBefore.WORSE)
    run_at(SEVEN)
    assert "felt worse the next morning" in mail.outbox[0].body


def test_a_quiet_day_sends_nothing(program):
    painful_log(program, pain=3)
    run_at(SEVEN)
    assert mail.outbox == []


def test_not_before_seven_and_once_a_day(program):
    painful_log(program)
    run_at(SEVEN - datetime.timedelta(minutes=15))
    assert mail.outbox == []
    run_at(SEVEN)
    run_at(SEVEN + datetime.timedelta(minutes=15))
    run_at(SEVEN + datetime.timedelta(hours=5))
    assert len(mail.outbox) == 1


def test_the_next_digest_only_tells_whats_new(program):
    painful_log(program)
    run_at(SEVEN)
    run_at(SEVEN + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1  # nothing new since yesterday's digest
    painful_log(program, pain=9, at=SEVEN + datetime.timedelta(days=1, hours=3))
    run_at(SEVEN + datetime.timedelta(days=2))
    assert len(mail.outbox) == 2 and "pain 9/10" in mail.outbox[1].body
    assert "pain 8/10" not in mail.outbox[1].body


def test_turned_off_means_no_digest(program, therapist, client_for):
    client = client_for(therapist)
    page = client.get(reverse("digest_settings"))
    assert page.status_code == 200 and b"checked" in page.content  # on by default
    response = client.post(reverse("digest_settings"), {})
    assert response.status_code == 302
    assert DigestPreference.objects.get(therapist=therapist).enabled is False
    painful_log(program)
    run_at(SEVEN)
    assert mail.outbox == []


def test_only_the_therapists_own_patients(program, utc_clinic, therapist):
    from tests.factories import TherapistFactory

    colleague = TherapistFactory(clinic=utc_clinic, email="colleague@example.org")
    painful_log(program)
    run_at(SEVEN)
    assert [m.to for m in mail.outbox] == [[therapist.email]]
    assert DigestPreference.objects.get(therapist=colleague).last_sent_on == SEVEN.date()


def test_another_clinics_patients_never_appear(program, other_clinic, therapist):
    outsider = PatientWithAccountFactory(clinic=other_clinic, last_name="Outsider")
    other_program = ProgramFactory(clinic=other_clinic, patient=outsider, max_pain=2)
    painful_log(other_program)
    painful_log(program)
    run_at(SEVEN)
    mine = [m for m in mail.outbox if m.to == [therapist.email]]
    assert len(mine) == 1 and "Outsider" not in mine[0].body


def test_two_runs_at_once_claim_once(program):
    painful_log(program)
    first = digests_claim_due(SEVEN)
    second = digests_claim_due(SEVEN)
    assert len(first) == 1 and second == []


def test_the_settings_page_is_for_staff(client_for, patient):
    assert client_for(patient.user).get(reverse("digest_settings")).status_code == 403
    anonymous = Client().get(reverse("digest_settings"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_the_dashboards_other_reasons_are_in_the_digest(program, patient):
    """A reason of the dashboard raised since the last digest (here: the program ends within
    a week) is listed with its evidence."""
    Program.objects.filter(pk=program.pk).update(end_date=SEVEN.date() + datetime.timedelta(7))
    run_at(SEVEN)

    assert len(mail.outbox) == 1
    assert f"Program ending soon: “{program.title}” ends on" in mail.outbox[0].body
