"""The whole journey in a real browser: a therapist assigns the shared hamstring template to a
new patient through the builder pages; the patient accepts the invitation, the disclaimer,
checks off exercises (one with pain 3 and “hard”), reloads, undoes one, answers the morning
pain check; the therapist sees the logs and the flag. axe-core runs on every portal page at
a phone viewport, and screenshots of the key screens go to test-artifacts/."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from clinic.models import Patient
from programs.models import DisclaimerAcceptance, ExerciseLog, Program, ProgramStatus
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATIENT_PASSWORD = "Quiet-hamstring-2026"  # noqa: S105
AXE_RESULTS: dict[str, int] = {}


def check_accessibility(page: Page, name: str) -> None:
    """Zero axe-core violations on the page as it is now (WCAG 2.1 AA and best practices)."""
    results = Axe().run(page)
    AXE_RESULTS[name] = results.violations_count
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def named(action: str, exercise_name: str):
    """A button or link name like “Mark as done: Bridge” (Chromium adds a space before the
    visually hidden part)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(exercise_name)}$")


def shoot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def library(transactional_db):
    call_command("load_library", verbosity=0)
    call_command("load_program_templates", verbosity=0)


def test_therapist_assigns_and_patient_logs(
    live_server, library, therapist, desk, phone, artifacts
):
    base = live_server.url

    # --- The therapist adds a patient and assigns the shared hamstring template ------------
    sign_in(desk, base, therapist.email, TEST_PASSWORD)
    desk.goto(f"{base}/patients/new/")
    desk.get_by_label("First name").fill("Rosa")
    desk.get_by_label("Last name").fill("Lind")
    desk.get_by_label("E-mail address").fill("rosa@example.org")
    desk.get_by_role("button", name="Add and send invitation").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Rosa Lind")
    assert len(mail.outbox) == 1
    invitation_url = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body)[0]

    desk.get_by_role("link", name="New program").click()
    desk.get_by_label("Start from").select_option(label="Hamstring strengthening, phase 1")
    desk.get_by_role("button", name="Create program").click()
    desk.get_by_role("button", name="Activate: show it to the patient").click()
    expect(desk.get_by_text("The program is now Active.")).to_be_visible()
    program = Program.objects.get(patient__email="rosa@example.org")
    assert program.status == ProgramStatus.ACTIVE
    items = list(program.items.current().select_related("exercise").order_by("position"))
    assert len(items) >= 2
    first, second = items[0], items[1]

    # --- The patient: sign-in page, invitation, disclaimer ------------------------------------
    phone.goto(f"{base}/accounts/login/")
    check_accessibility(phone, "sign-in")
    shoot(phone, artifacts, "portal-01-sign-in")

    phone.goto(invitation_url)
    check_accessibility(phone, "invitation")
    phone.locator("#id_new_password1").fill(PATIENT_PASSWORD)
    phone.locator("#id_new_password2").fill(PATIENT_PASSWORD)
    shoot(phone, artifacts, "portal-02-invitation")
    phone.get_by_role("button", name="Create my account").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Before you start")
    assert "/portal/disclaimer/" in phone.url
    check_accessibility(phone, "disclaimer")
    shoot(phone, artifacts, "portal-03-disclaimer")
    phone.get_by_label("I have read this and I agree").check()
    phone.get_by_role("button", name="Accept and continue").click()

    # --- Today: check off one exercise with htmx, without a reload -----------------------------
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(phone.get_by_text(first.dosage_text).first).to_be_visible()
    check_accessibility(phone, "today")
    shoot(phone, artifacts, "portal-04-today")

    phone.evaluate("window.__sameDocument = true")
    first_entry = phone.locator(f"#entry-{first.pk}-1")
    first_entry.get_by_role("button", name=named("Mark as done", first.exercise.name)).click()
    expect(first_entry).to_have_class(re.compile(r"entry--done"))
    expect(phone.locator("#portal-status")).to_have_text(f"{first.exercise.name}: done. Well done!")
    assert phone.evaluate("window.__sameDocument === true"), "the check-off reloaded the page"
    # Focus stays on the entry's action button (now “Undo”), not lost to the page top.
    assert phone.evaluate("document.activeElement.id") == f"entry-{first.pk}-1-action"
    shoot(phone, artifacts, "portal-05-today-one-done")

    # --- The second one through its page: pain 3, hard -----------------------------------------
    phone.get_by_role("link", name=second.exercise.name, exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(second.exercise.name)
    expect(phone.get_by_label("Sets done")).to_have_value(str(second.sets))
    expect(phone.get_by_label("Repetitions done (in each set)")).to_have_value(str(second.reps))
    check_accessibility(phone, "exercise")
    phone.get_by_role("group", name="Pain during the exercise").get_by_label(
        "3", exact=True
    ).check()
    phone.get_by_label("Hard").check()
    shoot(phone, artifacts, "portal-06-exercise")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text(f"Saved: {second.exercise.name}.")).to_be_visible()

    # --- Reload: both done; undo one ----------------------------------------------------------
    phone.reload()
    expect(phone.locator(".entry--done")).to_have_count(2)
    expect(phone.locator(f"#entry-{second.pk}-1")).to_contain_text("pain 3 of 10")
    shoot(phone, artifacts, "portal-07-today-two-done")
    first_entry.get_by_role("button", name=named("Undo", first.exercise.name)).click()
    expect(
        first_entry.get_by_role("button", name=named("Mark as done", first.exercise.name))
    ).to_be_visible()
    expect(phone.locator(".entry--done")).to_have_count(1)
    logs = list(ExerciseLog.objects.select_related("program_item"))
    assert [(log.program_item_id, log.pain, log.difficulty) for log in logs] == [
        (second.pk, 3, "hard")
    ]

    # --- History and missed days --------------------------------------------------------------
    phone.get_by_role("link", name="My progress").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(
        phone.get_by_text("exercise day in a row").or_(phone.get_by_text("start a streak"))
    ).to_be_visible()
    check_accessibility(phone, "history")
    shoot(phone, artifacts, "portal-08-history")
    phone.get_by_role("link", name="Log a missed day").click()
    check_accessibility(phone, "missed-days")
    shoot(phone, artifacts, "portal-09-missed-days")

    # --- The therapist sees the logs; pain 3 is within the limit: no flag ----------------------
    desk.goto(f"{base}{program.get_absolute_url()}")
    expect(desk.get_by_text("3/10").first).to_be_visible()
    expect(desk.get_by_role("cell", name="Hard").first).to_be_visible()
    patient = Patient.objects.get(email="rosa@example.org")
    desk.goto(f"{base}{patient.get_absolute_url()}")
    accepted = DisclaimerAcceptance.objects.get(patient=patient)
    expect(desk.get_by_text(f"Version {accepted.disclaimer.version} accepted")).to_be_visible()
    expect(desk.locator("#flag-heading")).to_have_count(0)

    # --- Next morning's question (yesterday's exercise recorded directly) ---------------------
    today = program.clinic.today()
    ExerciseLog.objects.create(
        program_item=second,
        clinic=patient.clinic,
        patient=patient,
        performed_on=today - datetime.timedelta(days=1),
        pain=4,
    )
    phone.goto(f"{base}/portal/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Good morning")
    check_accessibility(phone, "pain-check")
    shoot(phone, artifacts, "portal-10-pain-check")
    phone.get_by_label("Worse").check()
    phone.get_by_role("group", name="How much pain do you have right now?").get_by_label(
        "6", exact=True
    ).check()
    phone.get_by_role("button", name="Save my answers").click()
    expect(
        phone.get_by_role("heading", name="Please get in touch with your therapist")
    ).to_be_visible()
    check_accessibility(phone, "today-with-note")
    shoot(phone, artifacts, "portal-11-today-calm-note")

    # --- …and the therapist sees the flag --------------------------------------------------------
    desk.reload()
    expect(desk.locator("#flag-heading")).to_be_visible()
    expect(desk.get_by_text("felt worse the next morning (pain 6/10)")).to_be_visible()
    expect(desk.get_by_text("morning pain 6/10 (limit 5)")).to_be_visible()
    shoot(desk, artifacts, "therapist-12-patient-flag")

    # --- Signing in again later lands on today's exercises ------------------------------------
    phone.get_by_role("button", name="Sign out").click()
    sign_in(phone, base, "rosa@example.org", PATIENT_PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    print("\naxe violations per page:", AXE_RESULTS)


PAGES_AT_320 = ["/portal/", "/portal/history/", "/portal/days/", "/portal/pain-check/"]


def test_readable_at_320px_and_large_touch_targets(
    live_server, library, therapist, patient, browser, artifacts
):
    """At 320 CSS px (what 200% zoom on a 640 px window gives) nothing scrolls sideways, and
    every button and radio label is at least 44 px tall."""
    from exercises.selectors import disclaimer_current
    from portal.services import exercise_log_record
    from programs.models import DisclaimerAcceptance, ProgramItem, ProgramTemplate
    from programs.services import program_create, program_status_change

    program = program_create(
        clinic=therapist.clinic,
        patient=patient,
        therapist=therapist,
        title="Hamstring strengthening",
        start_date=therapist.clinic.today(),
        template=ProgramTemplate.objects.get(clinic=None),
        sessions_per_day=2,
    )
    program_status_change(program=program, status=ProgramStatus.ACTIVE)
    item = ProgramItem.objects.filter(program=program).first()
    exercise_log_record(patient=patient, item=item, performed_on=therapist.clinic.today())
    DisclaimerAcceptance.objects.create(
        clinic=patient.clinic,
        patient=patient,
        disclaimer=disclaimer_current(clinic=therapist.clinic, kind="medical"),
    )
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, live_server.url, patient.email, TEST_PASSWORD)
    for path in [*PAGES_AT_320, f"/portal/items/{item.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                   'main button, main .button, div.choice-grid label, div.choice-row label')]
                 .filter(el => el.getBoundingClientRect().height < 44)
                 .map(el => el.textContent.trim())"""
        )
        assert small == [], f"{path}: touch targets under 44px: {small}"
        check_accessibility(page, f"320px {path}")
    page.goto(f"{live_server.url}/portal/")
    page.screenshot(path=str(artifacts / "portal-13-today-320px.png"), full_page=True)
    context.close()
