"""The reminder e-mail: text and HTML from the clinic's name with today's exercises, a one-tap
sign-in link (once, 12 hours, lands on Today), one-click unsubscribe (RFC 8058: valid,
tampered, reused), retries with growing waits, and a bad address that never stops the rest.

The periodic task runs inline (huey's immediate mode) at a moment set with time-machine.
"""

import datetime
import re
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from huey.exceptions import RetryTask

from portal.reminders import unsubscribe_token
from portal.tasks import deliver_reminder, send_due_reminders
from programs.deliveries import EMAIL_RETRY_DELAYS
from programs.models import Delivery, ProgramItem, ProgramStatus, ReminderSettings
from tests.factories import (
    LibraryExerciseFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    ReminderSettingsFactory,
)

MONDAY = datetime.date(2026, 11, 23)
EIGHT = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


def prescribe(clinic, patient, therapist, name="Bridge"):
    program = ProgramFactory(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        status=ProgramStatus.ACTIVE,
        start_date=MONDAY - datetime.timedelta(days=30),
    )
    item = ProgramItemFactory(
        program=program,
        position=1,
        sets=3,
        reps=10,
        exercise=LibraryExerciseFactory(name=name, slug=name.lower().replace(" ", "-")),
    )
    ProgramItem.objects.filter(pk=item.pk).update(created_at=EIGHT - datetime.timedelta(days=30))
    ReminderSettingsFactory(patient=patient, time=datetime.time(8, 0))
    return program


@pytest.fixture
def due(clinic, patient, therapist, settings):
    settings.SITE_URL = "https://clinic.example.org"
    clinic.name = "Sunrise Physical Therapy"
    clinic.timezone = "UTC"
    clinic.save()
    prescribe(clinic, patient, therapist)
    return patient


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        send_due_reminders()


def link_in(text: str, path_start: str) -> str:
    match = re.search(r"https://clinic\.example\.org(" + re.escape(path_start) + r"\S+?/)", text)
    assert match, text
    return match.group(1)


def test_the_email_lists_todays_exercises_from_the_clinic(due):
    run_at(EIGHT)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["paula@example.org"]
    assert message.from_email.startswith('"Sunrise Physical Therapy" <') or (
        message.from_email.startswith("Sunrise Physical Therapy <")
    )
    assert "- Bridge: 3 sets of 10" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Bridge</strong>" in html and "Open today" in html
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.channel) == ("delivered", 1, "email")


def test_rfc_8058_headers(due):
    run_at(EIGHT)
    headers = mail.outbox[0].extra_headers
    assert re.fullmatch(
        r"<https://clinic\.example\.org/portal/reminders/unsubscribe/\S+/>",
        headers["List-Unsubscribe"],
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_tap_sign_in_lands_on_today_and_works_once(due, client):
    run_at(EIGHT)
    path = link_in(mail.outbox[0].body, "/accounts/login/link/")
    with time_machine.travel(EIGHT + datetime.timedelta(hours=11), tick=False):
        assert client.get(path).status_code == 200  # a confirm button: scanners cannot use it
        response = client.post(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("portal_home")
        client.logout()
        again = client.post(path)
        assert "already used" in again.content.decode()


def test_the_sign_in_link_expires_after_12_hours(due, client):
    run_at(EIGHT)
    path = link_in(mail.outbox[0].body, "/accounts/login/link/")
    with time_machine.travel(EIGHT + datetime.timedelta(hours=12, minutes=1), tick=False):
        response = client.post(path)
        assert "has expired" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_one_click_unsubscribe_without_signing_in(due, client):
    run_at(EIGHT)
    path = link_in(mail.outbox[0].body, "/portal/reminders/unsubscribe/")
    page = client.get(path)
    assert page.status_code == 200 and "Stop reminder e-mails?" in page.content.decode()
    assert ReminderSettings.objects.get(patient=due).by_email is True  # GET changes nothing
    # What a mail client sends (RFC 8058): a POST with this body, no cookies, no CSRF token.
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Reminder e-mails are now turned off." in response.content.decode()
    assert ReminderSettings.objects.get(patient=due).by_email is False
    mail.outbox.clear()
    run_at(EIGHT + datetime.timedelta(days=1))
    assert mail.outbox == []


def test_a_reused_unsubscribe_link_says_it_is_already_done(due, client):
    path = reverse("portal_unsubscribe", args=[unsubscribe_token(due)])
    client.post(path)
    again = client.post(path)
    assert again.status_code == 200
    assert "already turned off" in again.content.decode()


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "nonsense", lambda t: t[1:]])
def test_a_tampered_unsubscribe_link_changes_nothing(due, client, mangle):
    path = reverse("portal_unsubscribe", args=[mangle(unsubscribe_token(due))])
    response = client.post(path)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert ReminderSettings.objects.get(patient=due).by_email is True


class FlakyBackend(EmailBackend):
    """A mail server that is away for the first `failures` sends."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("gone for a moment")
        return super().send_messages(messages)


class RefusingBackend(EmailBackend):
    """Refuses one address, as an SMTP server does with a bad recipient."""

    def send_messages(self, messages):
        for message in messages:
            if "bad" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def test_a_mail_server_away_is_tried_again_with_growing_waits(due, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_reminder_email.FlakyBackend"
    FlakyBackend.failures = 2
    run_at(EIGHT)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "will retry" in delivery.detail
    assert sorted(EMAIL_RETRY_DELAYS) == EMAIL_RETRY_DELAYS and EMAIL_RETRY_DELAYS[0] >= 60
    with pytest.raises(RetryTask):  # what the retry scheduled by huey runs: away again
        deliver_reminder.call_local(delivery.pk)
    deliver_reminder.call_local(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert len(mail.outbox) == 1
    deliver_reminder.call_local(delivery.pk)  # a duplicate run never sends again
    assert len(mail.outbox) == 1


def test_the_task_asks_huey_to_retry_later(due, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_reminder_email.FlakyBackend"
    FlakyBackend.failures = 1
    run_at(EIGHT + datetime.timedelta(days=1))
    delivery = Delivery.objects.get()
    delivery.status = "pending"
    delivery.save()
    FlakyBackend.failures = 1
    with pytest.raises(RetryTask) as retry:
        deliver_reminder.call_local(delivery.pk)
    assert retry.value.delay == EMAIL_RETRY_DELAYS[1]


def test_it_gives_up_after_the_last_retry(due, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_reminder_email.FlakyBackend"
    FlakyBackend.failures = 99
    run_at(EIGHT)
    delivery = Delivery.objects.get()
    for _retry in EMAIL_RETRY_DELAYS[:-1]:
        with pytest.raises(RetryTask):
            deliver_reminder.call_local(delivery.pk)
    deliver_reminder.call_local(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "gave up" in delivery.detail
    assert delivery.attempts == len(EMAIL_RETRY_DELAYS) + 1
    FlakyBackend.failures = 0


def test_a_bad_address_fails_once_and_the_others_still_get_theirs(due, clinic, therapist, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_reminder_email.RefusingBackend"
    bad = PatientWithAccountFactory(clinic=clinic, email="bad@example.org")
    bad.user.email = "bad@example.org"
    bad.user.save()
    prescribe(clinic, bad, therapist, name="Squat")
    run_at(EIGHT)
    assert [m.to for m in mail.outbox] == [["paula@example.org"]]
    failed = Delivery.objects.get(patient=bad)
    assert failed.status == "failed" and "address refused" in failed.detail
    assert failed.attempts == 1
