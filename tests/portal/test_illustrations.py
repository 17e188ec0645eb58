"""The drawn pictures in the portal: a thumbnail on Today, the movement on the exercise page
(two still frames when the patient asks for reduced motion), served only for her own items."""

import json

import pytest
from django.urls import reverse

from exercises.library import LIBRARY_DIR
from programs.models import ProgramItem
from tests.factories import PatientWithAccountFactory, ProgramFactory, ProgramItemFactory

POSES = {
    e["slug"]: e["poses"]
    for e in json.loads((LIBRARY_DIR / "hamstring.json").read_text(encoding="utf-8"))["exercises"]
}


@pytest.fixture
def drawn_item(item, bridge):
    bridge.poses = POSES["bridge"]
    bridge.save()
    return ProgramItem.objects.get(pk=item.pk)


def test_today_card_has_a_drawn_thumbnail_with_alt_text(paula_client, drawn_item):
    html = paula_client.get(reverse("portal_home")).content.decode()
    url = reverse("portal_item_illustration", args=[drawn_item.pk, "start"])
    assert f'src="{url}"' in html
    assert "entry__image--drawing" in html
    assert 'alt="Drawing of the starting position: ' in html


def test_exercise_page_animates_and_has_still_frames_for_reduced_motion(paula_client, drawn_item):
    html = paula_client.get(reverse("portal_exercise", args=[drawn_item.pk])).content.decode()
    for frame in ("animated", "start", "end"):
        assert reverse("portal_item_illustration", args=[drawn_item.pk, frame]) in html
    assert 'class="illustration__motion"' in html and 'class="illustration__frames"' in html
    assert 'alt="Moving drawing of Bridge: ' in html


def test_patient_gets_her_own_exercises_animation(paula_client, drawn_item):
    url = reverse("portal_item_illustration", args=[drawn_item.pk, "animated"])
    response = paula_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "<animate " in response.content.decode()


def test_another_patients_item_answers_404(paula_client, clinic, therapist, bridge):
    other = PatientWithAccountFactory(clinic=clinic)
    program = ProgramFactory(clinic=clinic, patient=other, therapist=therapist)
    bridge.poses = POSES["bridge"]
    bridge.save()
    theirs = ProgramItemFactory(program=program, exercise=bridge, position=1)
    url = reverse("portal_item_illustration", args=[theirs.pk, "start"])
    assert paula_client.get(url).status_code == 404


def test_reduced_motion_rule_lives_in_the_static_stylesheet():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    block = css.split("@media (prefers-reduced-motion: reduce) {")[-1]
    assert ".illustration__motion { display: none; }" in block
    assert ".illustration__frames { display: flex; }" in block
