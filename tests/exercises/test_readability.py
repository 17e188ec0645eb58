"""Plain words: every patient-facing text of the shared library reads at US school grade 6
or below (Flesch-Kincaid, textstat 0.7.4, which counts syllables offline with pyphen).

Each text is measured as a whole: an exercise's summary, start, steps and cues together; a
series' description and its steps' "move on when" words together; each disclaimer kind's
current (newest) version. Published disclaimer versions never change, so older versions stay
as they were and are no longer shown as current."""

import json
import socket

import pytest
import textstat

from exercises.library import LIBRARY_DIR, library_files

MAX_GRADE = 6


def library_data():
    return [json.loads(path.read_text(encoding="utf-8")) for path in library_files()]


def patient_texts():
    texts = []
    for data in library_data():
        for exercise in data.get("exercises", []):
            words = [
                exercise["summary"],
                exercise["starting_position"],
                *exercise["instructions"],
                *exercise.get("cues", []),
            ]
            texts.append((f"exercise {exercise['slug']}", " ".join(words)))
        for series in data.get("series", []):
            words = [series.get("description", "")]
            words += [step.get("advance_when", "") for step in series["steps"]]
            texts.append((f"series {series['slug']}", " ".join(w for w in words if w)))
        newest = {}
        for disclaimer in data.get("disclaimers", []):
            if disclaimer["version"] > newest.get(disclaimer["kind"], {}).get("version", 0):
                newest[disclaimer["kind"]] = disclaimer
        for kind, disclaimer in sorted(newest.items()):
            texts.append((f"{kind} disclaimer v{disclaimer['version']}", disclaimer["body"]))
    return texts


def test_textstat_is_the_pinned_offline_version():
    from importlib.metadata import version

    assert version("textstat") == "0.7.4"


def test_measuring_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("textstat tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert textstat.flesch_kincaid_grade("Lift your hips, then lower them slowly.") < MAX_GRADE


def test_the_library_has_texts_of_every_kind():
    names = [name for name, _text in patient_texts()]
    assert any(name.startswith("exercise ") for name in names)
    assert any(name.startswith("series ") for name in names)
    assert "medical disclaimer v2" in names and "affiliate disclaimer v2" in names


@pytest.mark.parametrize(("name", "text"), patient_texts(), ids=lambda value: value[:40])
def test_every_patient_facing_library_text_reads_at_grade_6_or_below(name, text):
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{name} reads at grade {grade}: {text}"


def test_a_hard_text_is_caught():
    """The measure does tell plain words from hard ones (so the test above can fail)."""
    hard = (
        "Notwithstanding the aforementioned considerations, participants acknowledge "
        "responsibility for consequences arising from unsupervised therapeutic activities."
    )
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


def test_the_library_folder_is_the_one_measured():
    assert library_files() and all(path.parent == LIBRARY_DIR for path in library_files())
