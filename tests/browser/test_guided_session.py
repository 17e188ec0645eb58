"""The guided session in real Chromium at phone width: the hold and rest timers run (with
Playwright's fake clock, so no waiting), the screen reader hears the start and end of each
timer, the quick log is recorded once even when sent twice, a phone that asks for reduced
motion sees the two still frames, and axe-core finds nothing on the session pages."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from exercises.models import Disclaimer, DisclaimerKind
from programs.models import ExerciseLog, ProgramStatus, ProgramTemplate
from programs.services import program_create, program_status_change
from tests.browser.conftest import PHONE
from tests.browser.test_staff_pages_accessibility import sign_in
from tests.factories import DisclaimerAcceptanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session_world(transactional_db, clinic, therapist, patient):
    """paula's active hamstring program; its first exercise is 2 sets of 1 held 3 seconds."""
    call_command("load_library", verbosity=0)
    call_command("load_program_templates", verbosity=0)
    program = program_create(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        title="Hamstrings",
        start_date=clinic.today() - datetime.timedelta(days=10),
        template=ProgramTemplate.objects.get(slug="hamstring-strengthening"),
    )
    program_status_change(program=program, status=ProgramStatus.ACTIVE)
    item = program.items.order_by("position").first()
    type(item).objects.filter(pk=item.pk).update(sets=2, reps=1, hold_seconds=3)
    medical = Disclaimer.objects.filter(clinic=None, kind=DisclaimerKind.MEDICAL).first()
    DisclaimerAcceptanceFactory(patient=patient, clinic=patient.clinic, disclaimer=medical)
    return {"patient": patient, "item": item, "program": program}


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}: {results.generate_report()}"


def test_timers_run_and_the_log_is_recorded_once(live_server, session_world, phone):
    page, base = phone, live_server.url
    item = session_world["item"]
    sign_in(page, base, session_world["patient"].user.email)
    page.clock.install()

    page.goto(base + reverse("portal_home"))
    page.get_by_role("link", name="Start today's session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's session")
    no_violations(page)
    page.get_by_role("link", name="Begin").click()
    expect(page.get_by_text("Exercise 1 of")).to_be_visible()
    no_violations(page)

    counter = page.locator("[data-guided-counter]")
    timer = page.locator("[data-guided-timer]")
    status = page.locator("[data-guided-status]")
    action = page.locator("[data-guided-action]")
    expect(counter).to_have_text("Set 1 of 2 · Repetition 1 of 1")
    # The text version stays for reading ahead; the sound and vibration start off.
    expect(page.get_by_text("hold for 3 seconds").first).to_be_visible()
    expect(page.get_by_label("Sound")).not_to_be_checked()

    action.click()  # Start the hold
    page.clock.run_for(100)
    expect(timer).to_have_text("Hold: 3 seconds left")
    expect(status).to_have_text("Hold for 3 seconds.")
    page.clock.run_for(1500)
    expect(timer).to_have_text("Hold: 2 seconds left")
    expect(status).to_have_text("Hold for 3 seconds.")  # not every second
    page.clock.run_for(1600)
    expect(status).to_have_text("Hold done. Relax. Rest for 30 seconds.")
    expect(timer).to_have_text("Rest: 30 seconds left")
    expect(action).to_have_text("Skip the rest")
    page.clock.run_for(31_000)
    expect(status).to_have_text("Rest over. Start the next set when you are ready. Set 2 of 2")
    expect(counter).to_have_text("Set 2 of 2 · Repetition 1 of 1")
    action.click()
    page.clock.run_for(3200)
    expect(counter).to_have_text("All sets done. Say how it felt below.")
    expect(action).to_be_hidden()
    expect(page.locator("#log-heading")).to_be_focused()
    no_violations(page)

    page.locator("input[name=pain][value='3']").check()
    page.get_by_label("Hard").check()
    page.get_by_role("button", name="Save and go to the next exercise").click()
    expect(page.get_by_text("Exercise 2 of")).to_be_visible()

    # Back to the first exercise and send the log again: still one log, now with pain 4.
    page.goto(base + reverse("portal_session_step", args=[1, 1]))
    page.locator("input[name=pain][value='4']").check()
    page.get_by_role("button", name="Save and go to the next exercise").click()
    expect(page.get_by_text("Exercise 2 of")).to_be_visible()
    logs = ExerciseLog.objects.filter(program_item=item)
    assert logs.count() == 1
    assert (logs.get().pain, logs.get().difficulty) == (4, "hard")

    page.goto(base + reverse("portal_session_done", args=[1]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Session summary")
    expect(page.get_by_text("pain 4 of 10")).to_be_visible()
    no_violations(page)


def test_reduced_motion_shows_the_two_frames(live_server, session_world, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, reduced_motion="reduce")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, session_world["patient"].user.email)
        page.goto(live_server.url + reverse("portal_session_step", args=[1, 1]))
        expect(page.locator(".illustration__motion")).to_be_hidden()
        frames = page.locator(".illustration__frames img")
        assert frames.count() == 2
        for index in range(2):
            expect(frames.nth(index)).to_be_visible()
        no_violations(page)
    finally:
        context.close()
