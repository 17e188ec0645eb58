"""load_measures (idempotent, versioned) and import_measure (a clinic's own file: a good one
and several bad ones, each refused with the bad field named and nothing saved)."""

import json

import pytest
from django.core.management import CommandError, call_command

from programs.measures.models import Instrument
from tests.factories import (
    MeasureAssignmentFactory,
    MeasureResponseFactory,
    test_instrument_definition,
)


def test_load_measures_is_idempotent(db, capsys):
    call_command("load_measures")
    call_command("load_measures")

    assert set(Instrument.objects.filter(clinic=None).values_list("slug", flat=True)) == {
        "nprs",
        "psfs",
        "groc",
    }
    assert "unchanged: psfs v1" in capsys.readouterr().out


def _write(tmp_path, data, name="measure.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_import_a_clinics_own_measure(clinic, other_clinic, tmp_path):
    call_command(
        "import_measure", _write(tmp_path, test_instrument_definition()), clinic="clinic-a"
    )

    instrument = Instrument.objects.get()
    assert instrument.clinic == clinic and instrument.is_current
    assert Instrument.objects.visible_to_clinic(other_clinic).count() == 0


def test_a_new_version_becomes_current_and_the_old_one_stays(clinic, tmp_path):
    call_command(
        "import_measure", _write(tmp_path, test_instrument_definition()), clinic="clinic-a"
    )
    call_command(
        "import_measure", _write(tmp_path, test_instrument_definition(version=2)), clinic="clinic-a"
    )

    assert list(Instrument.objects.values_list("version", "is_current").order_by("version")) == [
        (1, False),
        (2, True),
    ]


def test_an_answered_version_cannot_change(clinic, tmp_path):
    call_command(
        "import_measure", _write(tmp_path, test_instrument_definition()), clinic="clinic-a"
    )
    instrument = Instrument.objects.get()
    MeasureResponseFactory(
        assignment=MeasureAssignmentFactory(
            instrument=instrument, clinic=clinic, patient__clinic=clinic
        )
    )

    changed = test_instrument_definition(name="Changed wording")
    with pytest.raises(CommandError, match="new version number"):
        call_command("import_measure", _write(tmp_path, changed), clinic="clinic-a")
    instrument.refresh_from_db()
    assert instrument.name == "Test scale"


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        (test_instrument_definition(items=[]), "items: needs 1 to 100 items"),
        (test_instrument_definition(better="sideways"), "better: must be higher or lower"),
        (
            test_instrument_definition(range={"min": 0, "max": 10}),
            "range: the items and the scoring rule give 0 to 12",
        ),
        ({**test_instrument_definition(), "mcid": {"value": 3}}, "mcid.source: is missing"),
    ],
)
def test_bad_files_are_refused_naming_the_field(clinic, tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        call_command("import_measure", _write(tmp_path, content), clinic="clinic-a")
    assert message in str(caught.value)
    assert not Instrument.objects.exists()


def test_one_bad_file_of_several_imports_nothing(clinic, tmp_path):
    good = _write(tmp_path, test_instrument_definition(), "good.json")
    bad = _write(tmp_path, test_instrument_definition(slug="other", version=0), "bad.json")
    with pytest.raises(CommandError, match="bad.json: version"):
        call_command("import_measure", good, bad, clinic="clinic-a")
    assert not Instrument.objects.exists()


def test_unknown_clinic_or_file(db, tmp_path):
    with pytest.raises(CommandError, match="No clinic"):
        call_command("import_measure", "x.json", clinic="nowhere")
    from tests.factories import ClinicFactory

    ClinicFactory(slug="here")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_measure", str(tmp_path / "missing.json"), clinic="here")


def test_the_documented_example_imports(clinic, tmp_path):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "measures-format.md").read_text()
    example = text.split("## An example written for this documentation")[1]
    example = example.split("```json")[1].split("```")[0]
    call_command("import_measure", _write(tmp_path, example), clinic="clinic-a")

    instrument = Instrument.objects.get(slug="stair-confidence")
    from programs.measures import engine

    assert engine.score(instrument.definition, {"up": 3, "down": 3, "carry": 0}).total == 66.67
