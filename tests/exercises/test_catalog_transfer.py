"""export_catalog / import_catalog: a clinic's catalog as JSON, all or nothing."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from exercises.models import Disclaimer, Equipment, Exercise, ProgressionSeries
from exercises.services import disclaimer_publish
from tests.factories import (
    EquipmentFactory,
    ExerciseFactory,
    MuscleFactory,
    SeriesFactory,
    StepFactory,
    image_upload,
)


@pytest.fixture
def clinic_catalog(library, clinic):
    """Clinic A's own rows, using the loaded library where it can."""
    band = EquipmentFactory(clinic=clinic, name="Band", purchase_url="https://shop.example.org")
    hamstrings = MuscleFactory(slug="hamstrings")
    own = ExerciseFactory(
        clinic=clinic,
        name="Band curl",
        muscles=[hamstrings],
        equipment=[band, Equipment.objects.library().get(slug="exercise-mat")],
        default_hold_seconds=2,
        per_side=True,
        video_url="https://video.example.org/band-curl",
    )
    ExerciseFactory(clinic=clinic, name="Retired move", is_active=False)
    series = SeriesFactory(clinic=clinic, name="Our curl ladder", description="Ours.")
    StepFactory(series=series, exercise=library.get(slug="prone-hamstring-curl"), position=1)
    StepFactory(series=series, exercise=own, position=2, advance_when="Easy for a week.")
    disclaimer_publish(clinic=clinic, kind="medical", title="Terms", body="Version one.")
    disclaimer_publish(clinic=clinic, kind="medical", title="Terms", body="Version two.")
    return clinic


def export(clinic_slug, tmp_path, name="export.json"):
    path = tmp_path / name
    call_command("export_catalog", "--clinic", clinic_slug, str(path))
    return path


def comparable(path):
    data = json.loads(path.read_text())
    data.pop("exported_at")
    data.pop("clinic")
    return data


def counts(clinic):
    return (
        Exercise.objects.for_clinic(clinic).count(),
        Equipment.objects.for_clinic(clinic).count(),
        ProgressionSeries.objects.for_clinic(clinic).count(),
        Disclaimer.objects.for_clinic(clinic).count(),
    )


def test_round_trip_into_another_clinic(clinic_catalog, other_clinic, tmp_path):
    first = export("clinic-a", tmp_path, "a.json")
    data = json.loads(first.read_text())
    assert {e["slug"] for e in data["exercises"]} == {"band-curl", "retired-move"}
    assert data["series"][0]["steps"][0]["exercise"] == "library:prone-hamstring-curl"
    assert not any(e["slug"] == "bridge" for e in data["exercises"])  # the library stays out

    call_command("import_catalog", "--clinic", "clinic-b", str(first))

    assert counts(other_clinic) == counts(clinic_catalog) == (2, 1, 1, 2)
    assert comparable(export("clinic-b", tmp_path, "b.json")) == comparable(first)
    assert not Exercise.objects.for_clinic(other_clinic).get(slug="retired-move").is_active


def test_importing_the_same_file_again_changes_nothing(clinic_catalog, tmp_path, capsys):
    path = export("clinic-a", tmp_path)
    before = sorted(Exercise.objects.for_clinic(clinic_catalog).values_list("pk", "updated_at"))
    capsys.readouterr()
    call_command("import_catalog", "--clinic", "clinic-a", str(path))
    assert "exercises: 0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    after = sorted(Exercise.objects.for_clinic(clinic_catalog).values_list("pk", "updated_at"))
    assert after == before


def test_import_updates_changed_rows_by_slug(clinic_catalog, tmp_path):
    path = export("clinic-a", tmp_path)
    data = json.loads(path.read_text())
    data["exercises"][0]["summary"] = "Changed in the file."
    data["series"][0]["steps"].reverse()
    path.write_text(json.dumps(data))
    call_command("import_catalog", "--clinic", "clinic-a", str(path))
    changed = Exercise.objects.for_clinic(clinic_catalog).get(slug=data["exercises"][0]["slug"])
    assert changed.summary == "Changed in the file."
    series = ProgressionSeries.objects.for_clinic(clinic_catalog).get()
    assert list(series.steps.values_list("exercise__slug", flat=True)) == [
        "band-curl",
        "prone-hamstring-curl",
    ]


def test_export_to_standard_output(clinic_catalog, capsys):
    call_command("export_catalog", "--clinic", "clinic-a")
    assert json.loads(capsys.readouterr().out)["clinic"] == "clinic-a"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected an object"),
        ('{"format": "something-else", "format_version": 1}', "“format” must be"),
        ('{"format": "hep-catalog", "format_version": 99}', "format_version 99"),
        ('{"format": "hep-catalog", "format_version": 1, "exercises": {}}', "must be list"),
        (
            '{"format": "hep-catalog", "format_version": 1, "muscles": [{"slug": "x", '
            '"name": "X", "body_region": "hip"}]}',
            "only the shared library",
        ),
    ],
)
def test_malformed_files_are_clear_command_errors(db, clinic, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_catalog", "--clinic", "clinic-a", str(path))


def valid_file(**changes):
    exercise = {
        "slug": "wall-sit",
        "name": "Wall sit",
        "summary": "Sit against a wall.",
        "position": "standing",
        "starting_position": "Back against a wall.",
        "instructions": ["Slide down.", "Hold."],
    }
    data = {
        "format": "hep-catalog",
        "format_version": 1,
        "equipment": [{"slug": "wall-bar", "name": "Wall bar"}],
        "exercises": [exercise],
        "series": [],
        "disclaimers": [],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"series": [{"slug": "s", "name": "S", "steps": [{"exercise": "library:nope"}]}]},
            "the shared library has no “nope”",
        ),
        (
            {"series": [{"slug": "s", "name": "S", "steps": [{"exercise": "ghost"}]}]},
            "“ghost” is neither in the file nor in the catalog",
        ),
        (
            {
                "series": [
                    {
                        "slug": "s",
                        "name": "S",
                        "steps": [{"exercise": "wall-sit"}, {"exercise": "wall-sit"}],
                    }
                ]
            },
            "already a step of this series",
        ),
        (
            {"disclaimers": [{"kind": "medical", "version": 3, "title": "T", "body": "B"}]},
            "the next version of this kind is 1",
        ),
        (
            {"exercises": [{**valid_file()["exercises"][0], "instructions": []}]},
            "Add at least one step",
        ),
        (
            {"exercises": [{**valid_file()["exercises"][0], "difficulty": 9}]},
            "exercises[0] (wall-sit): difficulty",
        ),
        (
            {"exercises": [{**valid_file()["exercises"][0], "video_url": "ftp://x.org/v"}]},
            "http:// or https://",
        ),
        (
            {"exercises": [{**valid_file()["exercises"][0], "colour": "red"}]},
            "unknown key(s) colour",
        ),
        (
            {"exercises": [{**valid_file()["exercises"][0], "per_side": 1}]},
            "“per_side” must be bool",
        ),
    ],
)
def test_a_bad_row_imports_nothing_at_all(db, clinic, tmp_path, changes, message):
    path = tmp_path / "file.json"
    path.write_text(json.dumps(valid_file(**changes)))
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_catalog", "--clinic", "clinic-a", str(path))
    assert counts(clinic) == (0, 0, 0, 0)  # the equipment and exercise before it are gone too


def test_a_published_version_in_the_file_must_match(clinic_catalog, tmp_path):
    path = export("clinic-a", tmp_path)
    data = json.loads(path.read_text())
    data["disclaimers"][0]["body"] = "Rewritten history."
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="published versions never change"):
        call_command("import_catalog", "--clinic", "clinic-a", str(path))
    assert not Disclaimer.objects.filter(body="Rewritten history.").exists()


def test_dry_run_changes_nothing(db, clinic, tmp_path, capsys):
    path = tmp_path / "file.json"
    path.write_text(json.dumps(valid_file()))
    call_command("import_catalog", "--clinic", "clinic-a", str(path), "--dry-run")
    assert "exercises: 1 created" in capsys.readouterr().out
    assert counts(clinic) == (0, 0, 0, 0)


def test_unknown_clinic_and_missing_file_are_command_errors(clinic, tmp_path):
    with pytest.raises(CommandError, match="No clinic"):
        call_command("export_catalog", "--clinic", "nowhere")
    with pytest.raises(CommandError, match="No clinic"):
        call_command("import_catalog", "--clinic", "nowhere", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_catalog", "--clinic", "clinic-a", str(tmp_path / "x.json"))


class TestPictures:
    """A file names pictures by stored path: only the importing clinic's own (or the
    library's), or files in the import folder, are taken; never another clinic's."""

    def _file_naming(self, tmp_path, image, slug="stolen-picture"):
        path = tmp_path / "catalog.json"
        path.write_text(
            json.dumps(
                {
                    "format": "hep-catalog",
                    "format_version": 1,
                    "exercises": [
                        {
                            "slug": slug,
                            "name": "Stolen picture",
                            "summary": "A test.",
                            "instructions": ["Move."],
                            "position": "standing",
                            "starting_position": "Stand.",
                            "image": image,
                        }
                    ],
                }
            )
        )
        return path

    def test_another_clinics_picture_is_not_taken(self, clinic, other_clinic, tmp_path):
        theirs = ExerciseFactory(clinic=other_clinic, image=image_upload("theirs.png"))

        call_command(
            "import_catalog",
            "--clinic",
            clinic.slug,
            str(self._file_naming(tmp_path, theirs.image.name)),
        )

        imported = Exercise.objects.for_clinic(clinic).get(slug="stolen-picture")
        assert not imported.image

    def test_the_clinics_own_picture_is_kept(self, clinic, tmp_path):
        mine = ExerciseFactory(clinic=clinic, image=image_upload("mine.png"))

        call_command(
            "import_catalog",
            "--clinic",
            clinic.slug,
            str(self._file_naming(tmp_path, mine.image.name)),
        )

        assert Exercise.objects.for_clinic(clinic).get(slug="stolen-picture").image.name == (
            mine.image.name
        )

    @pytest.mark.parametrize(
        "name",
        ["../../etc/passwd", "/etc/passwd", "exercises\\..\\secret.png", "C:/x.png", "~/x.png"],
    )
    def test_path_tricks_get_a_clear_error_and_change_nothing(self, clinic, tmp_path, name):
        with pytest.raises(CommandError, match="not a plain relative file name"):
            call_command(
                "import_catalog", "--clinic", clinic.slug, str(self._file_naming(tmp_path, name))
            )

        assert not Exercise.objects.for_clinic(clinic).exists()

    def test_pictures_travel_in_a_folder_and_import_once(self, clinic, other_clinic, tmp_path):
        ExerciseFactory(clinic=clinic, name="Band curl", image=image_upload("band.png"))
        folder = tmp_path / "pictures"
        call_command(
            "export_catalog",
            "--clinic",
            clinic.slug,
            str(tmp_path / "out.json"),
            "--images",
            str(folder),
        )
        args = ["--clinic", other_clinic.slug, str(tmp_path / "out.json"), "--images", str(folder)]

        call_command("import_catalog", *args)
        first = Exercise.objects.for_clinic(other_clinic).get(slug="band-curl").image.name
        call_command("import_catalog", *args)

        again = Exercise.objects.for_clinic(other_clinic).get(slug="band-curl").image.name
        assert first and first == again
        assert first != Exercise.objects.for_clinic(clinic).get(slug="band-curl").image.name
