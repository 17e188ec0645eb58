"""axe on the pages issue 12 added: the patient's Reminders page (also with an error), the
unsubscribe confirmation and result (no sign-in), the therapist's digest setting and the
patient page with its last reminder; at a phone viewport for the patient."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from exercises.selectors import disclaimer_current
from portal.reminders import unsubscribe_token
from programs.models import DisclaimerAcceptance
from tests.browser.test_staff_pages_accessibility import assert_no_violations, sign_in
from tests.browser.test_staff_pages_accessibility import staff_world as staff_world_fixture
from tests.factories import DeliveryFactory, SentReminderFactory

staff_world = staff_world_fixture  # the same world as the other staff pages' test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_patient_reminder_pages_have_no_axe_violations(live_server, staff_world, phone):
    patient = staff_world["patient"]
    DisclaimerAcceptance.objects.create(
        clinic=patient.clinic,
        patient=patient,
        disclaimer=disclaimer_current(clinic=patient.clinic, kind="medical"),
    )
    base = live_server.url
    sign_in(phone, base, patient.email)
    assert_no_violations(phone, base + reverse("portal_reminders"))
    phone.locator("#id_time").fill("22:30")
    phone.get_by_role("button", name="Save").click()
    assert phone.locator("[data-error-summary]").is_visible()
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
    phone.locator("#id_time").fill("08:30")
    phone.get_by_role("button", name="Save").click()
    assert phone.get_by_text("Your reminder settings are saved.").is_visible()

    phone.context.clear_cookies()  # unsubscribing needs no sign-in
    assert_no_violations(phone, base + reverse("portal_unsubscribe", args=["tampered"]))
    assert_no_violations(
        phone, base + reverse("portal_unsubscribe", args=[unsubscribe_token(patient)])
    )
    phone.get_by_role("button", name="Stop reminder e-mails").click()
    assert phone.get_by_text("Reminder e-mails are now turned off.").is_visible()
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()


def test_therapist_reminder_pages_have_no_axe_violations(live_server, staff_world, desk):
    patient = staff_world["patient"]
    DeliveryFactory(reminder=SentReminderFactory(patient=patient))
    base = live_server.url
    sign_in(desk, base, staff_world["therapist"].email)
    assert_no_violations(desk, base + reverse("digest_settings"))
    assert_no_violations(desk, base + reverse("patient_detail", args=[patient.pk]))
    assert desk.get_by_text("delivered to the mail server").is_visible()


def test_the_service_worker_registers_under_the_csp_with_the_portal_scope(
    live_server, staff_world, phone, settings
):
    """In real Chromium: the Reminders page's script (no inline code) registers /portal/sw.js
    with the scope /portal/ when the patient asks for reminders on this device. No push
    service is reachable here, so the subscription itself ends in the page's polite message."""
    from portal.management.commands.vapid_keys import vapid_key_pair

    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()
    patient = staff_world["patient"]
    DisclaimerAcceptance.objects.create(
        clinic=patient.clinic,
        patient=patient,
        disclaimer=disclaimer_current(clinic=patient.clinic, kind="medical"),
    )
    base = live_server.url
    phone.context.grant_permissions(["notifications"], origin=base)
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    sign_in(phone, base, patient.email)
    phone.goto(base + reverse("portal_reminders"))
    button = phone.get_by_role("button", name="Remind me on this device")
    button.click()
    status = phone.locator("[data-push-status]")
    status.filter(has_text=".").wait_for(timeout=15000)
    scope = phone.evaluate(
        "navigator.serviceWorker.getRegistration('/portal/').then(r => r && r.scope)"
    )
    assert scope == base + "/portal/"
    assert errors == []
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
