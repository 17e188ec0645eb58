"""axe-core on the staff pages (therapist and clinic admin), on a desk and a phone window.

The portal journey checks the patient's pages; these are the pages a therapist or a clinic
admin works in every day. Each must have zero violations, also when a form shows errors.
"""

import base64
import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp

from exercises.models import Exercise, ProgressionSeries
from programs.models import ProgramStatus, ProgramTemplate
from programs.services import program_create, program_status_change
from tests.factories import (
    TEST_PASSWORD,
    ExerciseLogFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_world(transactional_db, clinic, clinic_admin, therapist, patient):
    """alice (admin) and theo (therapist) of clinic A; paula's active program from the shared
    hamstring template, with a painful check-off today."""
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
    ExerciseLogFactory(program_item=item, performed_on=clinic.today(), pain=7, difficulty="hard")
    return {
        "admin": clinic_admin,
        "therapist": therapist,
        "patient": patient,
        "program": program,
        "item": item,
        "exercise": Exercise.objects.get(slug="bridge"),
        "series": ProgressionSeries.objects.get(slug="bridge-progression"),
    }


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def assert_no_violations(page, url):
    page.goto(url)
    results = Axe().run(page)
    assert results.violations_count == 0, f"{url}: {results.generate_report()}"


@pytest.mark.parametrize("window", ["desk", "phone"])
def test_therapist_pages_have_no_axe_violations(live_server, staff_world, request, window):
    page = request.getfixturevalue(window)
    base = live_server.url
    world = staff_world
    sign_in(page, base, world["therapist"].email)
    program, item, patient = world["program"], world["item"], world["patient"]
    for path in [
        reverse("patient_list"),
        reverse("patient_detail", args=[patient.pk]),
        reverse("patient_add"),
        reverse("program_create", args=[patient.pk]),
        reverse("program_detail", args=[program.pk]) + "?q=bridge",
        reverse("program_edit", args=[program.pk]),
        reverse("program_item_edit", args=[item.pk]),
        reverse("program_item_next", args=[item.pk]),
        reverse("program_handout", args=[program.pk]),
        reverse("template_list"),
        reverse("catalog:exercise_list"),
        reverse("catalog:exercise_detail", args=[world["exercise"].pk]),
        reverse("catalog:series_detail", args=[world["series"].pk]),
    ]:
        assert_no_violations(page, base + path)

    # A form showing errors: the error summary and the invalid fields.
    page.goto(base + reverse("program_edit", args=[program.pk]))
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    results = Axe().run(page)
    assert page.locator("[data-error-summary]").is_visible()
    assert results.violations_count == 0, results.generate_report()


def test_admin_pages_have_no_axe_violations(live_server, staff_world, desk):
    base = live_server.url
    sign_in(desk, base, staff_world["admin"].email)
    for path in [
        reverse("clinic_settings"),
        reverse("team"),
        reverse("catalog:exercise_create"),
        reverse("catalog:disclaimer_list"),
    ]:
        assert_no_violations(desk, base + path)


def test_two_step_pages_have_no_axe_violations(live_server, staff_world, desk, artifacts):
    """The whole journey in a real browser: required setup right after the password (QR and
    key), the recovery codes, then the code asked at the next sign-in, with a wrong code."""
    clinic = staff_world["admin"].clinic
    clinic.require_two_step_admins = True
    clinic.save()
    base = live_server.url
    sign_in(desk, base, staff_world["admin"].email)
    desk.wait_for_url(f"{base}{reverse('two_step_setup')}**")
    assert desk.locator("svg.qr").is_visible()
    desk.screenshot(path=str(artifacts / "two-step-01-setup.png"), full_page=True)
    results = Axe().run(desk)
    assert results.violations_count == 0, results.generate_report()

    secret = desk.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    desk.get_by_label("Code from your authenticator app").fill(f"{totp(key):06d}")
    desk.get_by_role("button", name="Turn on two-step sign-in").click()
    desk.wait_for_url(f"{base}{reverse('two_step_codes')}**")
    assert desk.locator(".recovery-codes li").count() == 10
    desk.screenshot(path=str(artifacts / "two-step-02-recovery-codes.png"), full_page=True)
    results = Axe().run(desk)
    assert results.violations_count == 0, results.generate_report()
    desk.get_by_role("button", name="I have saved my recovery codes").click()
    assert_no_violations(desk, base + reverse("two_step"))

    desk.get_by_role("button", name="Sign out").first.click()
    sign_in(desk, base, staff_world["admin"].email)
    desk.wait_for_url(f"{base}{reverse('two_step_verify')}**")
    results = Axe().run(desk)
    assert results.violations_count == 0, results.generate_report()
    desk.get_by_label("Code").fill("000000")
    desk.get_by_role("button", name="Continue").click()
    assert desk.locator("[data-error-summary]").is_visible()
    desk.screenshot(path=str(artifacts / "two-step-03-wrong-code.png"), full_page=True)
    results = Axe().run(desk)
    assert results.violations_count == 0, results.generate_report()
