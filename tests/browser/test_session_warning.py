"""The automatic logoff warning in a real browser: the script runs under the site's CSP,
shows the warning before the idle limit, and "Stay signed in" keeps the session."""

import pytest
from django.urls import reverse

from tests.browser.test_staff_pages_accessibility import sign_in
from tests.factories import ClinicFactory, TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_warning_appears_and_stay_signed_in_keeps_the_session(live_server, desk, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 1
    settings.STAFF_IDLE_WARNING_SECONDS = 57  # the warning 3 seconds after the page loads
    therapist = TherapistFactory(clinic=ClinicFactory(), email="tess@example.org")
    errors = []
    desk.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(desk, live_server.url, therapist.email)
    desk.goto(live_server.url + reverse("patient_list"))

    warning = desk.get_by_role("alertdialog")
    warning.wait_for(state="visible", timeout=8000)
    desk.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden", timeout=5000)

    assert desk.goto(live_server.url + reverse("patient_list")).status == 200
    assert desk.url.endswith(reverse("patient_list"))
    assert not [error for error in errors if "Content Security Policy" in error]
