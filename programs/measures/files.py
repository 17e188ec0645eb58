"""Reading instrument files: the shipped library folder and a clinic's own file."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.models import Clinic
from programs.measures.services import instrument_load

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
MAX_FILE_BYTES = 1_000_000


class MeasureFileError(ValueError):
    """A file that cannot be loaded; the message names the file and the bad field."""


def _errors_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(e.messages)}"
            for field, errors in error.error_dict.items()
            for e in [ValidationError(errors)]
        )
    return " ".join(error.messages)


def read_definition(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MeasureFileError(f"{path.name}: larger than 1 MB")
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise MeasureFileError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MeasureFileError(f"{path.name}: not valid JSON ({error})") from None


def load_files(paths, *, clinic: Clinic | None = None) -> list[tuple[str, str]]:
    """Load every file, all or nothing: [(slug vN, created|updated|unchanged)]."""
    results = []
    with transaction.atomic():
        for path in paths:
            definition = read_definition(Path(path))
            try:
                instrument, outcome = instrument_load(definition=definition, clinic=clinic)
            except ValidationError as error:
                raise MeasureFileError(f"{Path(path).name}: {_errors_text(error)}") from None
            results.append((f"{instrument.slug} v{instrument.version}", outcome))
    return results


def library_files() -> list[Path]:
    return sorted(LIBRARY_DIR.glob("*.json"))
