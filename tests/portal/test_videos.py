"""Exercise videos in the portal: the patient's own exercise page plays the video, served
with range requests; another patient's item answers 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from programs.models import ProgramItem
from tests.exercises.test_videos import MP4, body
from tests.factories import PatientWithAccountFactory, ProgramFactory, ProgramItemFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filmed_item(item, bridge):
    bridge.video.save("bridge.mp4", ContentFile(MP4), save=True)
    return ProgramItem.objects.get(pk=item.pk)


def test_portal_exercise_page_plays_her_video_with_ranges(paula_client, filmed_item):
    html = paula_client.get(reverse("portal_exercise", args=[filmed_item.pk])).content.decode()
    url = reverse("portal_item_video", args=[filmed_item.pk])
    assert f'<source src="{url}" type="video/mp4">' in html
    response = paula_client.get(url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206 and body(response) == MP4[10:20]


def test_another_patients_video_answers_404(paula_client, clinic, therapist, filmed_item):
    other = PatientWithAccountFactory(clinic=clinic)
    program = ProgramFactory(clinic=clinic, patient=other, therapist=therapist)
    theirs = ProgramItemFactory(program=program, exercise=filmed_item.exercise, position=1)
    url = reverse("portal_item_video", args=[theirs.pk])
    assert paula_client.get(url).status_code == 404
