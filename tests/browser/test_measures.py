"""Outcome measures in a real browser: the patient answers the PSFS on a phone (activities,
one question per page, review, send) with axe on every page; the therapist's patient page
with the chart, the list of measures and a form with errors pass axe on a desk window."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from exercises.selectors import disclaimer_current
from programs.measures.models import Instrument, MeasureResponse
from programs.measures.services import assignment_create
from programs.models import DisclaimerAcceptance
from tests.factories import (
    TEST_PASSWORD,
    ClinicFactory,
    MeasureAssignmentFactory,
    MeasureResponseFactory,
    PatientWithAccountFactory,
    TherapistFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def measure_world(transactional_db):
    call_command("load_library", verbosity=0)
    call_command("load_measures", verbosity=0)
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    therapist = TherapistFactory(clinic=clinic, email="tom@example.org")
    patient = PatientWithAccountFactory(clinic=clinic, primary_therapist=therapist)
    DisclaimerAcceptance.objects.create(
        clinic=clinic,
        patient=patient,
        disclaimer=disclaimer_current(clinic=clinic, kind="medical"),
    )
    psfs = Instrument.objects.get(clinic=None, slug="psfs")
    assignment = assignment_create(
        patient=patient,
        instrument=psfs,
        assigned_by=therapist,
        starts_on=clinic.today(),
        every_weeks=4,
    )
    return {"therapist": therapist, "patient": patient, "assignment": assignment}


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def no_violations(page, label):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{label}: {results.generate_report()}"


def test_patient_answers_the_psfs_on_a_phone(live_server, measure_world, phone, artifacts):
    page = phone
    sign_in(page, live_server.url, measure_world["patient"].email)
    page.goto(f"{live_server.url}/portal/")
    no_violations(page, "today with a questionnaire due")
    page.get_by_role("link", name="Answer: Patient-specific functional scale").click()

    no_violations(page, "activities page")
    page.get_by_role("button", name="Next").click()  # nothing named: an error summary
    assert page.locator(".error-summary").is_visible()
    no_violations(page, "activities page with errors")
    page.get_by_label("Activity 1", exact=False).fill("Climbing stairs")
    page.get_by_label("Activity 2", exact=False).fill("Kneeling")
    page.get_by_label("Activity 3", exact=False).fill("Running")
    page.get_by_role("button", name="Next").click()

    for rating in ("3", "5", "7"):
        no_violations(page, f"question rated {rating}")
        page.get_by_label(rating, exact=True).check()
        page.get_by_role("button", name="Next").click()
    page.screenshot(path=str(artifacts / "measures-review-phone.png"), full_page=True)
    no_violations(page, "review")
    page.get_by_role("button", name="Send my answers").click()

    assert page.url.endswith("/portal/")
    response = MeasureResponse.objects.get()
    assert response.score == 5 and response.activities == ["Climbing stairs", "Kneeling", "Running"]


def test_therapist_pages_with_a_chart_pass_axe(live_server, measure_world, desk, artifacts):
    patient = measure_world["patient"]
    assignment = MeasureAssignmentFactory(
        patient=patient, instrument=Instrument.objects.get(clinic=None, slug="nprs")
    )
    today = datetime.date.today()
    for n, score in enumerate([7, 5.5, 3]):
        MeasureResponseFactory(
            assignment=assignment,
            answers={"now": 3},
            score=score,
            answered_on=today - datetime.timedelta(days=28 - 14 * n),
        )
    page = desk
    sign_in(page, live_server.url, measure_world["therapist"].email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    assert page.locator("svg[role=img]").count() == 1
    page.locator("#measures-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "measures-patient-page.png"), full_page=True)
    no_violations(page, "patient page with measures")
    page.goto(f"{live_server.url}/measures/")
    no_violations(page, "measure list")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_label("Repeat every (weeks)").fill("99")
    page.get_by_role("button", name="Assign", exact=True).click()
    assert page.locator(".error-summary").is_visible()
    no_violations(page, "assign form with errors")
