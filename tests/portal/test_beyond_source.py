"""The portal's exercise page says when the library added the exercise beyond its source page
(tests/exercises/test_beyond_source.py has the catalog side)."""

from django.urls import reverse

from exercises.models import Exercise

NOTE = "Added by our therapists; not on the original page."


def test_portal_exercise_page_shows_the_note(paula_client, item, bridge):
    url = reverse("portal_exercise", args=[item.pk])
    assert NOTE not in paula_client.get(url).content.decode()
    Exercise.objects.filter(pk=bridge.pk).update(beyond_source=True)
    assert NOTE in paula_client.get(url).content.decode()
