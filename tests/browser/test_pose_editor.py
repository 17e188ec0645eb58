"""The pose editor in Chromium: no axe violations (also with errors), the slider's number
follows it, and the preview redraws from the sliders without saving (static JS under the CSP)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from exercises.services import exercise_copy_to_clinic
from tests.browser.test_staff_pages_accessibility import sign_in
from tests.exercises.test_pose_editor import POSES
from tests.factories import LibraryExerciseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_bridge(transactional_db, clinic):
    library = LibraryExerciseFactory(name="Bridge", slug="bridge", poses=POSES["bridge"])
    return exercise_copy_to_clinic(exercise=library, clinic=clinic)


def test_editor_is_accessible_and_previews_live(live_server, clinic_admin, own_bridge, desk):
    base = live_server.url
    sign_in(desk, base, clinic_admin.email)
    messages = []
    desk.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    desk.goto(base + reverse("catalog:exercise_poses", args=[own_bridge.pk]))
    results = Axe().run(desk)
    assert results.violations_count == 0, results.generate_report()

    end = desk.locator('[data-pose-preview="end"]')
    assert end.get_attribute("src").startswith("/catalog/")  # the saved drawing
    knee = desk.get_by_label("End: Knee, near side, degrees")
    knee.fill("30")  # a range input takes fill(); "input" and "change" fire
    output = desk.locator("#id_end_near_knee + output")
    assert output.inner_text() == "30"
    expect(end).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    own_bridge.refresh_from_db()
    assert own_bridge.poses["end"]["pose"]["near"]["knee"] == POSES["bridge"]["end"]["pose"][
        "near"
    ].get("knee", 0)
    assert not [m for m in messages if "Content Security Policy" in m]

    # Server-side errors (a value no slider can make) keep the page accessible.
    desk.evaluate("document.getElementById('id_end_near_knee').type = 'text'")
    desk.locator("#id_end_near_knee").fill("400")
    desk.get_by_role("button", name="Save").click()
    assert desk.locator("[data-error-summary]").is_visible()
    assert "The near knee angle must be between 0 and 150 degrees." in desk.content()
    results = Axe().run(desk)
    assert results.violations_count == 0, results.generate_report()
