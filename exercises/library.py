"""The shared exercise library: reviewable JSON data files in exercises/library/.

`library_load()` applies every file there to the library rows (clinic NULL) with
`catalog_apply`, so loading is idempotent and never touches a clinic's rows. The files'
"templates" sections are not stored here: the programs app reads them with
`library_templates()` to seed its program templates.
"""

import json
from pathlib import Path

from django.db import transaction

from exercises.catalog_file.importer import ApplyReport, catalog_apply
from exercises.catalog_file.schema import CatalogFileError, parse_catalog

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


def library_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or LIBRARY_DIR).glob("*.json"))


def read_catalog_file(path: Path):
    """The decoded JSON of a catalog file, or CatalogFileError saying what is wrong."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogFileError(f"{path}: cannot be read ({error.strerror}).") from error
    except UnicodeDecodeError as error:
        raise CatalogFileError(f"{path}: is not UTF-8 text.") from error
    except json.JSONDecodeError as error:
        raise CatalogFileError(
            f"{path}: is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error


def library_load(files: list[Path] | None = None) -> list[tuple[Path, ApplyReport]]:
    """Load the library files in name order, all in one transaction: an error in any file
    leaves the library as it was."""
    reports = []
    with transaction.atomic():
        for path in library_files() if files is None else files:
            data = read_catalog_file(path)
            try:
                reports.append((path, catalog_apply(clinic=None, data=data)))
            except CatalogFileError as error:
                raise CatalogFileError(f"{path.name}: {error}") from error
    return reports


def library_templates(files: list[Path] | None = None) -> list[dict]:
    """The program templates of the library files, each with its items in order:
    {"slug", "name", "description", "items": [{"exercise" (slug), "series" (slug), "sets",
    "reps", "hold_seconds", "side", "notes"}]}."""
    templates = []
    for path in library_files() if files is None else files:
        templates.extend(parse_catalog(read_catalog_file(path), library=True)["templates"])
    return templates
