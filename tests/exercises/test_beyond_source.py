"""Exercises the library added beyond its source page say so wherever users read them: the
catalog's exercise and series pages (staff) and the portal's exercise page (patients)."""

import json

from exercises.catalog_file.exporter import catalog_export
from exercises.library import LIBRARY_DIR
from exercises.models import ProgressionSeries
from exercises.services import exercise_copy_to_clinic

NOTE = "Added by our therapists; not on the original page."
BEYOND = {
    "swiss-ball-bridge",
    "swiss-ball-hamstring-curl",
    "standing-hamstring-curl-ankle-weights",
    "static-split-squat",
}


def test_the_library_marks_the_exercises_it_added_beyond_its_source(library):
    assert set(library.filter(beyond_source=True).values_list("slug", flat=True)) == BEYOND
    data = json.loads((LIBRARY_DIR / "hamstring.json").read_text(encoding="utf-8"))
    marked = {e["slug"] for e in data["exercises"] if e.get("beyond_source")}
    assert marked == BEYOND


def test_catalog_exercise_page_shows_the_note_only_on_added_exercises(
    library, client_for, therapist
):
    client = client_for(therapist)
    added = library.get(slug="static-split-squat")
    from_source = library.get(slug="bridge")
    assert NOTE in client.get(added.get_absolute_url()).content.decode()
    assert NOTE not in client.get(from_source.get_absolute_url()).content.decode()


def test_catalog_series_page_shows_the_note_beside_the_added_step(library, client_for, therapist):
    series = ProgressionSeries.objects.library().get(slug="lunge-progression")
    html = client_for(therapist).get(series.get_absolute_url()).content.decode()
    assert html.count(NOTE) == 1


def test_a_clinic_copy_and_the_export_keep_the_mark(library, clinic):
    copy = exercise_copy_to_clinic(exercise=library.get(slug="static-split-squat"), clinic=clinic)
    assert copy.beyond_source
    exported = {e["slug"]: e for e in catalog_export(clinic=clinic)["exercises"]}
    assert exported["static-split-squat"]["beyond_source"] is True
