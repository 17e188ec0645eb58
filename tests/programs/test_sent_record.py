"""Everything sent is recorded (who, what, when, channel, result) and the therapist's patient
page shows the last reminder."""

import datetime

from django.urls import reverse

from programs.models import Delivery
from tests.factories import DeliveryFactory, SentReminderFactory

TUESDAY_EIGHT = datetime.datetime(2026, 11, 24, 7, 0, tzinfo=datetime.UTC)  # 08:00 in Madrid


def test_the_patient_page_shows_the_last_reminder(client_for, therapist, patient, clinic):
    clinic.timezone = "Europe/Madrid"
    clinic.save()
    claim = SentReminderFactory(patient=patient, day=TUESDAY_EIGHT.date(), due_at=TUESDAY_EIGHT)
    delivery = DeliveryFactory(reminder=claim)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=TUESDAY_EIGHT)
    page = client_for(therapist).get(reverse("patient_detail", args=[patient.pk]))
    text = " ".join(page.content.decode().split())
    assert "Last reminder" in text
    assert "Tue 24 Nov 08:00, e-mail, delivered to the mail server" in text


def test_a_failed_reminder_says_so(client_for, therapist, patient):
    DeliveryFactory(reminder=SentReminderFactory(patient=patient), status="failed")
    page = client_for(therapist).get(reverse("patient_detail", args=[patient.pk]))
    assert "could not be sent" in page.content.decode()


def test_no_reminder_yet(client_for, therapist, patient):
    page = client_for(therapist).get(reverse("patient_detail", args=[patient.pk]))
    assert "None sent yet." in page.content.decode()


def test_another_clinics_reminders_never_show(client_for, therapist, patient, other_clinic):
    from tests.factories import PatientWithAccountFactory

    outsider = PatientWithAccountFactory(clinic=other_clinic)
    DeliveryFactory(reminder=SentReminderFactory(patient=outsider))
    assert Delivery.objects.for_user(therapist).count() == 0
    page = client_for(therapist).get(reverse("patient_detail", args=[patient.pk]))
    assert "None sent yet." in page.content.decode()


def test_the_record_keeps_who_what_when_channel_and_result(patient):
    delivery = DeliveryFactory(reminder=SentReminderFactory(patient=patient))
    assert delivery.recipient == patient.user
    assert (delivery.kind, delivery.channel, delivery.status) == ("reminder", "email", "delivered")
    assert delivery.created_at is not None
