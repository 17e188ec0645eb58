"""The portal offline in real Chromium (issue 12 item 6): the patient opens Today, loses the
connection, reloads and sees the saved page with the offline banner, checks off an exercise
(queued, "waiting to be sent"), gets the connection back, and exactly one log is recorded
while the waiting note disappears. axe runs on the page with the banner; the manifest and the
service worker are checked the way Chromium sees them."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from exercises.selectors import disclaimer_current
from programs.models import DisclaimerAcceptance, ExerciseLog
from tests.browser.test_staff_pages_accessibility import sign_in
from tests.browser.test_staff_pages_accessibility import staff_world as staff_world_fixture

staff_world = staff_world_fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accept(patient):
    DisclaimerAcceptance.objects.create(
        clinic=patient.clinic,
        patient=patient,
        disclaimer=disclaimer_current(clinic=patient.clinic, kind="medical"),
    )


def test_today_works_offline_and_a_queued_check_off_is_sent_once(
    live_server, staff_world, phone, artifacts
):
    patient, program = staff_world["patient"], staff_world["program"]
    _accept(patient)
    # An item not yet done today (the world's first item has a log already).
    item = (
        program.items.current()
        .exclude(pk=staff_world["item"].pk)
        .select_related("exercise")
        .order_by("position")
        .first()
    )
    today = patient.clinic.today()
    base = live_server.url
    csp_errors = []
    phone.on(
        "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(phone, base, patient.email)
    phone.goto(base + reverse("portal_home"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # now controlled: the worker keeps this page on the way
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.wait_for_function(
        "caches.keys().then(async (names) => { for (const n of names) {"
        " if (n.startsWith('portal-pages') && await (await caches.open(n)).match(location.href))"
        " return true; } return false; })"
    )
    banner = phone.get_by_text("You are offline — showing what was saved.")
    expect(banner).to_be_hidden()
    # An exercise page visited online is kept too.
    phone.locator(f"#entry-{item.pk}-1 .entry__name a").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(item.exercise.name)
    exercise_url = phone.url
    phone.goto(base + reverse("portal_home"))

    phone.context.set_offline(True)
    phone.goto(exercise_url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(item.exercise.name)
    expect(banner).to_be_visible()
    phone.goto(base + reverse("portal_history"))  # never opened: said plainly
    expect(phone.get_by_role("heading", level=1)).to_have_text("You are offline")
    phone.goto(base + reverse("portal_home"))
    expect(banner).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()

    name = item.exercise.name
    phone.get_by_role("button", name=re.compile(rf"^Mark as done\s*:\s*{re.escape(name)}$")).click()
    waiting = phone.get_by_text(f"Waiting to be sent: {name}.")
    expect(waiting).to_be_visible()
    entry = phone.locator(f"#entry-{item.pk}-1")
    expect(entry.get_by_text("Waiting to be sent. It will be sent")).to_be_visible()
    phone.screenshot(path=str(artifacts / "portal-offline-waiting.png"), full_page=True)
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
    assert not ExerciseLog.objects.filter(program_item=item, performed_on=today).exists()

    phone.context.set_offline(False)
    expect(waiting).to_be_hidden(timeout=15000)
    expect(entry.get_by_text("Done")).to_be_visible()
    expect(banner).to_be_hidden()
    assert ExerciseLog.objects.filter(program_item=item, performed_on=today).count() == 1
    phone.reload()
    expect(phone.locator("[data-waiting-note]")).to_have_count(0)
    assert ExerciseLog.objects.filter(program_item=item, performed_on=today).count() == 1
    assert csp_errors == []

    # Signing out leaves no saved copy of the patient's pages on the device.
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url(re.compile(r"/accounts/login/"))
    kept = phone.evaluate(
        "caches.keys().then(names => names.filter(n => n.startsWith('portal-pages')))"
    )
    assert kept == []


def test_chromium_reads_the_manifest_and_the_worker_scope(live_server, staff_world, phone):
    patient = staff_world["patient"]
    _accept(patient)
    base = live_server.url
    sign_in(phone, base, patient.email)
    phone.goto(base + reverse("portal_home"))
    scope = phone.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == base + "/portal/"
    session = phone.context.new_cdp_session(phone)
    manifest = session.send("Page.getAppManifest")
    assert manifest["url"] == base + "/portal/manifest.webmanifest"
    assert not manifest["errors"], manifest["errors"]
    assert '"name": "' + patient.clinic.name in manifest["data"]
    # Chromium's own installability check (manifest, icons, service worker, scope). The one
    # reason it still gives is the test's own window: Playwright's contexts are incognito.
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == [], errors
