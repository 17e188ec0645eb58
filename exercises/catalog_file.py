"""Catalog files: the shared library's data file and a clinic's JSON export use one format.

    {"format": "hep-catalog", "format_version": 1,
     "equipment": [...], "exercises": [...], "series": [...], "disclaimers": [...]}

The library file may also hold "body_regions", "muscles" (the shared word lists) and
"templates" (program templates, read by the programs app). A reference such as an
exercise's equipment or a series step's exercise names a slug of the same catalog as the
file; in a clinic's file, "library:<slug>" names a row of the shared library instead.

`catalog_apply` makes the database match a file for one owner (a clinic, or the library
when clinic is None): rows are matched by slug, created when missing, changed only where
they differ (so a second run changes nothing, not even `updated_at`), and rows the file
does not mention are left alone. It runs in one transaction: a file with any error
changes nothing. Published disclaimer versions are never changed.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clinic.models import Clinic
from exercises import services
from exercises.models import (
    BodyRegion,
    Disclaimer,
    Equipment,
    Exercise,
    Muscle,
    ProgressionSeries,
)

FORMAT = "hep-catalog"
FORMAT_VERSION = 1
LIBRARY_PREFIX = "library:"


class CatalogFileError(Exception):
    """The file cannot be applied; the message says where and why."""


REQUIRED = object()

# key: (accepted types, default or REQUIRED)
TOP_LEVEL = {
    "format": ((str,), REQUIRED),
    "format_version": ((int,), REQUIRED),
    "clinic": ((str,), ""),
    "source": ((str,), ""),
    "exported_at": ((str,), ""),
    "body_regions": ((list,), []),
    "muscles": ((list,), []),
    "equipment": ((list,), []),
    "exercises": ((list,), []),
    "series": ((list,), []),
    "disclaimers": ((list,), []),
    "templates": ((list,), []),
}
LIBRARY_ONLY = ("body_regions", "muscles", "templates")
BODY_REGION = {"slug": ((str,), REQUIRED), "name": ((str,), REQUIRED)}
MUSCLE = {
    "slug": ((str,), REQUIRED),
    "name": ((str,), REQUIRED),
    "body_region": ((str,), REQUIRED),
}
EQUIPMENT = {
    "slug": ((str,), REQUIRED),
    "name": ((str,), REQUIRED),
    "purchase_url": ((str,), ""),
}
EXERCISE = {
    "slug": ((str,), REQUIRED),
    "name": ((str,), REQUIRED),
    "summary": ((str,), REQUIRED),
    "position": ((str,), REQUIRED),
    "starting_position": ((str,), REQUIRED),
    "instructions": ((list,), REQUIRED),
    "cues": ((list,), []),
    "body_regions": ((list,), []),
    "muscles": ((list,), []),
    "equipment": ((list,), []),
    "difficulty": ((int,), 2),
    "default_sets": ((int, type(None)), None),
    "default_reps": ((int, type(None)), None),
    "default_hold_seconds": ((int, type(None)), None),
    "per_side": ((bool,), False),
    "video_url": ((str,), ""),
    "image": ((str,), ""),
    "image_alt": ((str,), ""),
    "is_active": ((bool,), True),
    "copied_from": ((str, type(None)), None),
}
SERIES = {
    "slug": ((str,), REQUIRED),
    "name": ((str,), REQUIRED),
    "description": ((str,), ""),
    "steps": ((list,), REQUIRED),
}
STEP = {"exercise": ((str,), REQUIRED), "advance_when": ((str,), "")}
DISCLAIMER = {
    "kind": ((str,), REQUIRED),
    "version": ((int,), REQUIRED),
    "title": ((str,), REQUIRED),
    "body": ((str,), REQUIRED),
    "published_at": ((str, type(None)), None),
}
TEMPLATE = {
    "slug": ((str,), REQUIRED),
    "name": ((str,), REQUIRED),
    "description": ((str,), ""),
    "items": ((list,), REQUIRED),
}
TEMPLATE_ITEM = {
    "exercise": ((str,), REQUIRED),
    "series": ((str,), ""),
    "sets": ((int, type(None)), None),
    "reps": ((int, type(None)), None),
    "hold_seconds": ((int, type(None)), None),
    "side": ((str,), "both"),
    "notes": ((str,), ""),
}
TEMPLATE_SIDES = {"both", "left", "right", "each_side"}


def _type_name(types) -> str:
    return " or ".join("null" if t is type(None) else t.__name__ for t in types)


def _record(value, spec: dict, where: str) -> dict:
    """Check one JSON object against a spec and fill in defaults."""
    if not isinstance(value, dict):
        raise CatalogFileError(f"{where}: expected an object, got {type(value).__name__}.")
    unknown = sorted(set(value) - set(spec))
    if unknown:
        raise CatalogFileError(f"{where}: unknown key(s) {', '.join(unknown)}.")
    result = {}
    for key, (types, default) in spec.items():
        if key not in value:
            if default is REQUIRED:
                raise CatalogFileError(f"{where}: “{key}” is missing.")
            result[key] = list(default) if isinstance(default, list) else default
            continue
        item = value[key]
        # JSON true/false are Python bools, which are also ints: keep them apart.
        wrong_bool = isinstance(item, bool) and bool not in types
        if wrong_bool or not isinstance(item, types):
            raise CatalogFileError(
                f"{where}: “{key}” must be {_type_name(types)}, got {type(item).__name__}."
            )
        result[key] = item
    return result


def _strings(value: list, where: str) -> list[str]:
    if not all(isinstance(item, str) for item in value):
        raise CatalogFileError(f"{where}: every entry must be text.")
    return value


def _records(data: dict, key: str, spec: dict) -> list[dict]:
    records = [_record(value, spec, f"{key}[{i}]") for i, value in enumerate(data[key])]
    seen = set()
    for i, record in enumerate(records):
        identity = record.get("slug") or (record.get("kind"), record.get("version"))
        if identity in seen:
            raise CatalogFileError(f"{key}[{i}]: {identity} appears twice in the file.")
        seen.add(identity)
    return records


def parse_catalog(data, *, library: bool) -> dict:
    """Check a decoded file's shape and fill in defaults; CatalogFileError if it is wrong."""
    top = _record(data, TOP_LEVEL, "file")
    if top["format"] != FORMAT:
        raise CatalogFileError(f"file: “format” must be “{FORMAT}”.")
    if top["format_version"] != FORMAT_VERSION:
        raise CatalogFileError(
            f"file: format_version {top['format_version']} is not supported "
            f"(this version reads {FORMAT_VERSION})."
        )
    if not library:
        for key in LIBRARY_ONLY:
            if top[key]:
                raise CatalogFileError(f"file: only the shared library file has “{key}”.")
    parsed = {
        "body_regions": _records(top, "body_regions", BODY_REGION),
        "muscles": _records(top, "muscles", MUSCLE),
        "equipment": _records(top, "equipment", EQUIPMENT),
        "exercises": _records(top, "exercises", EXERCISE),
        "series": _records(top, "series", SERIES),
        "disclaimers": _records(top, "disclaimers", DISCLAIMER),
        "templates": _records(top, "templates", TEMPLATE),
    }
    for i, exercise in enumerate(parsed["exercises"]):
        for key in ("instructions", "cues", "body_regions", "muscles", "equipment"):
            _strings(exercise[key], f"exercises[{i}].{key}")
    for i, series in enumerate(parsed["series"]):
        series["steps"] = [
            _record(step, STEP, f"series[{i}].steps[{j}]") for j, step in enumerate(series["steps"])
        ]
    exercise_slugs = {exercise["slug"] for exercise in parsed["exercises"]}
    series_slugs = {series["slug"] for series in parsed["series"]}
    for i, template in enumerate(parsed["templates"]):
        template["items"] = [
            _record(item, TEMPLATE_ITEM, f"templates[{i}].items[{j}]")
            for j, item in enumerate(template["items"])
        ]
        for j, item in enumerate(template["items"]):
            where = f"templates[{i}].items[{j}]"
            if item["exercise"] not in exercise_slugs:
                raise CatalogFileError(f"{where}: no exercise “{item['exercise']}” in the file.")
            if item["series"] and item["series"] not in series_slugs:
                raise CatalogFileError(f"{where}: no series “{item['series']}” in the file.")
            if item["side"] not in TEMPLATE_SIDES:
                raise CatalogFileError(f"{where}: side must be one of {sorted(TEMPLATE_SIDES)}.")
    return parsed


# --- Applying a file -------------------------------------------------------------------------


@dataclass
class ApplyReport:
    """What a run did, per kind of row: created, updated and unchanged slugs."""

    created: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unchanged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)

    KINDS = ("body_regions", "muscles", "equipment", "exercises", "series", "disclaimers")

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        lines = []
        for kind in self.KINDS:
            created, updated = self.created[kind], self.updated[kind]
            unchanged = self.unchanged[kind]
            if not (created or updated or unchanged):
                continue
            lines.append(
                f"{kind.replace('_', ' ')}: {len(created)} created, {len(updated)} updated, "
                f"{len(unchanged)} unchanged"
            )
            for slug in created:
                lines.append(f"  + {slug}")
            for slug in updated:
                lines.append(f"  ~ {slug}")
        return lines + self.notes


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{key}: {' '.join(str(m) for e in errors for m in e.messages)}"
            if key != "__all__"
            else " ".join(str(m) for e in errors for m in e.messages)
            for key, errors in error.error_dict.items()
        )
    return " ".join(str(message) for message in error.messages)


@contextmanager
def _rejected_as(where: str):
    """Turn a service's ValidationError into a CatalogFileError that names the row."""
    try:
        yield
    except ValidationError as error:
        raise CatalogFileError(f"{where}: {_messages(error)}") from error


class _Applier:
    def __init__(self, clinic: Clinic | None, report: ApplyReport):
        self.clinic = clinic
        self.report = report
        self.equipment: dict[str, Equipment] = {}
        self.exercises: dict[str, Exercise] = {}

    # Lookups ---------------------------------------------------------------------------------

    def _owned(self, model):
        manager = model.objects
        return manager.library() if self.clinic is None else manager.for_clinic(self.clinic)

    def _resolve(self, ref: str, model, cache: dict, where: str):
        """A same-catalog slug, or "library:<slug>" from a clinic's file."""
        if ref.startswith(LIBRARY_PREFIX) and self.clinic is not None:
            slug = ref[len(LIBRARY_PREFIX) :]
            found = model.objects.library().filter(slug=slug).first()
            if found is None:
                raise CatalogFileError(f"{where}: the shared library has no “{slug}”.")
            return found
        found = cache.get(ref) or self._owned(model).filter(slug=ref).first()
        if found is None:
            raise CatalogFileError(f"{where}: “{ref}” is neither in the file nor in the catalog.")
        return found

    @staticmethod
    def _vocabulary(model, slugs: list[str], where: str):
        rows = list(model.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {row.slug for row in rows})
        if missing:
            raise CatalogFileError(f"{where}: unknown {', '.join(missing)}.")
        return rows

    # Word lists (library only) ---------------------------------------------------------------

    def body_regions(self, records):
        for i, record in enumerate(records):
            with _rejected_as(f"body_regions[{i}] ({record['slug']})"):
                self._upsert_plain(
                    BodyRegion, "body_regions", record["slug"], {"name": record["name"]}
                )

    def muscles(self, records):
        regions = {region.slug: region for region in BodyRegion.objects.all()}
        for i, record in enumerate(records):
            region = regions.get(record["body_region"])
            if region is None:
                raise CatalogFileError(
                    f"muscles[{i}]: unknown body region “{record['body_region']}”."
                )
            with _rejected_as(f"muscles[{i}] ({record['slug']})"):
                self._upsert_plain(
                    Muscle,
                    "muscles",
                    record["slug"],
                    {"name": record["name"], "body_region": region},
                )

    def _upsert_plain(self, model, kind, slug, values):
        row = model.objects.filter(slug=slug).first()
        if row is None:
            row = model(slug=slug, **values)
            self.report.created[kind].append(slug)
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            self.report.updated[kind].append(slug)
        else:
            self.report.unchanged[kind].append(slug)
            return
        row.full_clean()
        row.save()

    # Catalog rows ----------------------------------------------------------------------------

    def equipment_rows(self, records):
        existing = {row.slug: row for row in self._owned(Equipment)}
        for i, record in enumerate(records):
            slug = record["slug"]
            row = existing.get(slug)
            with _rejected_as(f"equipment[{i}] ({slug})"):
                if row is None:
                    row = services.equipment_create(clinic=self.clinic, **record)
                    self.report.created["equipment"].append(slug)
                elif (row.name, row.purchase_url) != (record["name"], record["purchase_url"]):
                    services.equipment_update(
                        equipment=row, name=record["name"], purchase_url=record["purchase_url"]
                    )
                    self.report.updated["equipment"].append(slug)
                else:
                    self.report.unchanged["equipment"].append(slug)
            self.equipment[slug] = row

    def exercise_rows(self, records):
        existing = {
            row.slug: row
            for row in self._owned(Exercise).prefetch_related(
                "body_regions", "muscles", "equipment"
            )
        }
        for i, record in enumerate(records):
            where = f"exercises[{i}] ({record['slug']})"
            record = dict(record)
            relations = {
                "body_regions": self._vocabulary(BodyRegion, record.pop("body_regions"), where),
                "muscles": self._vocabulary(Muscle, record.pop("muscles"), where),
                "equipment": [
                    self._resolve(ref, Equipment, self.equipment, f"{where}.equipment")
                    for ref in record.pop("equipment")
                ],
            }
            is_active = record.pop("is_active")
            copied_from_ref = record.pop("copied_from")
            image = record.pop("image")
            if image and not default_storage.exists(image):
                self.report.notes.append(f"{where}: image {image} is not in storage; skipped.")
                image = ""
            image_alt = record.pop("image_alt")
            row = existing.get(record["slug"])
            with _rejected_as(where):
                row = self._exercise_row(
                    row, record, relations, is_active, copied_from_ref, image, image_alt
                )
            self.exercises[row.slug] = row

    def _exercise_row(self, row, record, relations, is_active, copied_from_ref, image, image_alt):
        if row is None:
            copied_from = None
            if copied_from_ref and self.clinic is not None:
                copied_from = (
                    Exercise.objects.library()
                    .filter(slug=copied_from_ref.removeprefix(LIBRARY_PREFIX))
                    .first()
                )
            row = services.exercise_create(
                clinic=self.clinic,
                is_active=is_active,
                copied_from=copied_from,
                image=image,
                image_alt=image_alt,
                **record,
                **relations,
            )
            self.report.created["exercises"].append(row.slug)
            return row
        # An empty image or image description in the file leaves the row's own alone: the
        # library file carries no pictures, and platform staff may add them in the admin.
        if image:
            record["image"] = image
        if image_alt:
            record["image_alt"] = image_alt
        changed = self._exercise_changes(row, record, relations)
        if changed:
            services.exercise_update(exercise=row, **changed)
        if row.is_active != is_active:
            changed["is_active"] = is_active
            if is_active:
                services.exercise_restore(exercise=row)
            else:
                services.exercise_archive(exercise=row)
        kind = self.report.updated if changed else self.report.unchanged
        kind["exercises"].append(row.slug)
        return row

    @staticmethod
    def _exercise_changes(row: Exercise, record: dict, relations: dict) -> dict:
        changed = {}
        for key, value in record.items():
            current = row.image.name if key == "image" else getattr(row, key)
            if current != value:
                changed[key] = value
        for key, rows in relations.items():
            if {r.pk for r in getattr(row, key).all()} != {r.pk for r in rows}:
                changed[key] = rows
        return changed

    def series_rows(self, records):
        existing = {
            row.slug: row
            for row in self._owned(ProgressionSeries).prefetch_related("steps__exercise")
        }
        for i, record in enumerate(records):
            where = f"series[{i}] ({record['slug']})"
            steps = [
                (
                    self._resolve(
                        step["exercise"], Exercise, self.exercises, f"{where}.steps[{j}]"
                    ),
                    step["advance_when"],
                )
                for j, step in enumerate(record["steps"])
            ]
            row = existing.get(record["slug"])
            with _rejected_as(where):
                self._series_row(row, record, steps)

    def _series_row(self, row, record, steps):
        if row is None:
            row = services.series_create(
                clinic=self.clinic,
                slug=record["slug"],
                name=record["name"],
                description=record["description"],
            )
            services.series_steps_replace(series=row, steps=steps)
            self.report.created["series"].append(row.slug)
            return
        changed = False
        if (row.name, row.description) != (record["name"], record["description"]):
            services.series_update(
                series=row, name=record["name"], description=record["description"]
            )
            changed = True
        current = [(step.exercise_id, step.advance_when) for step in row.steps.all()]
        if current != [(exercise.pk, text) for exercise, text in steps]:
            services.series_steps_replace(series=row, steps=steps)
            changed = True
        kind = self.report.updated if changed else self.report.unchanged
        kind["series"].append(row.slug)

    def disclaimer_rows(self, records):
        existing = {(row.kind, row.version): row for row in self._owned(Disclaimer)}
        for record in sorted(records, key=lambda r: (r["kind"], r["version"])):
            name = f"{record['kind']} v{record['version']}"
            row = existing.get((record["kind"], record["version"]))
            if row is not None:
                if (row.title, row.body) != (record["title"], record["body"]):
                    raise CatalogFileError(
                        f"disclaimers ({name}): differs from the published version, and "
                        "published versions never change. Add the new text as the next version."
                    )
                self.report.unchanged["disclaimers"].append(name)
                continue
            newest = max(
                (version for kind, version in existing if kind == record["kind"]), default=0
            )
            if record["version"] != newest + 1:
                raise CatalogFileError(
                    f"disclaimers ({name}): the next version of this kind is {newest + 1}."
                )
            published_at = _parse_time(record["published_at"], f"disclaimers ({name})")
            with _rejected_as(f"disclaimers ({name})"):
                row = services.disclaimer_publish(
                    clinic=self.clinic,
                    kind=record["kind"],
                    title=record["title"],
                    body=record["body"],
                    published_at=published_at,
                )
            existing[(row.kind, row.version)] = row
            self.report.created["disclaimers"].append(name)


def _parse_time(value: str | None, where: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise CatalogFileError(f"{where}: “published_at” is not a date and time.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.UTC)
    return parsed


def catalog_apply(*, clinic: Clinic | None, data) -> ApplyReport:
    """Make one owner's catalog match a decoded file, in one transaction (see module doc)."""
    parsed = parse_catalog(data, library=clinic is None)
    report = ApplyReport()
    applier = _Applier(clinic, report)
    steps = [
        ("body_regions", applier.body_regions),
        ("muscles", applier.muscles),
        ("equipment", applier.equipment_rows),
        ("exercises", applier.exercise_rows),
        ("series", applier.series_rows),
        ("disclaimers", applier.disclaimer_rows),
    ]
    with transaction.atomic():
        for key, apply in steps:
            apply(parsed[key])
    return report


# --- Writing a file --------------------------------------------------------------------------


def _ref(row, clinic: Clinic) -> str:
    return row.slug if row.clinic_id == clinic.pk else f"{LIBRARY_PREFIX}{row.slug}"


def catalog_export(*, clinic: Clinic) -> dict:
    """A clinic's own catalog (not the library it uses) as a catalog file, ordered by slug so
    two exports of the same catalog are identical."""
    equipment = Equipment.objects.for_clinic(clinic).order_by("slug")
    exercises = (
        Exercise.objects.for_clinic(clinic)
        .select_related("copied_from")
        .prefetch_related("body_regions", "muscles", "equipment")
        .order_by("slug")
    )
    series = (
        ProgressionSeries.objects.for_clinic(clinic)
        .prefetch_related("steps__exercise")
        .order_by("slug")
    )
    disclaimers = Disclaimer.objects.for_clinic(clinic).order_by("kind", "version")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "clinic": clinic.slug,
        "exported_at": timezone.now().isoformat(),
        "equipment": [
            {"slug": row.slug, "name": row.name, "purchase_url": row.purchase_url}
            for row in equipment
        ],
        "exercises": [
            {
                "slug": row.slug,
                "name": row.name,
                "summary": row.summary,
                "position": row.position,
                "starting_position": row.starting_position,
                "instructions": list(row.instructions),
                "cues": list(row.cues),
                "body_regions": sorted(region.slug for region in row.body_regions.all()),
                "muscles": sorted(muscle.slug for muscle in row.muscles.all()),
                "equipment": sorted(_ref(item, clinic) for item in row.equipment.all()),
                "difficulty": row.difficulty,
                "default_sets": row.default_sets,
                "default_reps": row.default_reps,
                "default_hold_seconds": row.default_hold_seconds,
                "per_side": row.per_side,
                "video_url": row.video_url,
                "image": row.image.name or "",
                "image_alt": row.image_alt,
                "is_active": row.is_active,
                "copied_from": (
                    f"{LIBRARY_PREFIX}{row.copied_from.slug}"
                    if row.copied_from and row.copied_from.is_library
                    else None
                ),
            }
            for row in exercises
        ],
        "series": [
            {
                "slug": row.slug,
                "name": row.name,
                "description": row.description,
                "steps": [
                    {"exercise": _ref(step.exercise, clinic), "advance_when": step.advance_when}
                    for step in row.steps.all()
                ],
            }
            for row in series
        ],
        "disclaimers": [
            {
                "kind": row.kind,
                "version": row.version,
                "title": row.title,
                "body": row.body,
                "published_at": row.published_at.isoformat(),
            }
            for row in disclaimers
        ],
    }
