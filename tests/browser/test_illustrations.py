"""The drawn pictures in real Chromium: the SVGs load under the site's CSP, the exercise page
moves, and a device that asks for reduced motion gets the two still frames instead; axe-core
finds nothing on the page either way."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from exercises.models import Disclaimer, DisclaimerKind
from tests.browser.test_staff_pages_accessibility import sign_in, staff_world  # noqa: F401
from tests.factories import DisclaimerAcceptanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "img => img.complete && img.naturalWidth > 0"


def test_portal_exercise_page_moves_or_shows_two_frames(live_server, staff_world, desk):  # noqa: F811
    patient, item = staff_world["patient"], staff_world["item"]
    medical = Disclaimer.objects.filter(clinic=None, kind=DisclaimerKind.MEDICAL).first()
    DisclaimerAcceptanceFactory(patient=patient, clinic=patient.clinic, disclaimer=medical)
    page = desk
    sign_in(page, live_server.url, patient.user.email)
    url = live_server.url + reverse("portal_exercise", args=[item.pk])

    page.goto(url)
    motion = page.locator(".illustration__motion")
    assert motion.is_visible()
    assert motion.evaluate(LOADED)
    assert not page.locator(".illustration__frames").is_visible()
    assert Axe().run(page).violations_count == 0

    page.emulate_media(reduced_motion="reduce")
    page.goto(url)
    assert not motion.is_visible()
    frames = page.locator(".illustration__frames img")
    assert frames.count() == 2
    for index in range(2):
        assert frames.nth(index).is_visible()
        assert frames.nth(index).evaluate(LOADED)
    assert Axe().run(page).violations_count == 0

    page.goto(live_server.url + reverse("portal_home"))
    thumbnail = page.locator(".entry__image--drawing").first
    assert thumbnail.evaluate(LOADED)
