"""Applying a catalog file: the database made to match it for one owner, in one transaction."""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clinic.models import Clinic
from exercises import services
from exercises.catalog_file.schema import LIBRARY_PREFIX, CatalogFileError, parse_catalog
from exercises.models import (
    MASTERY_FIELDS,
    BodyRegion,
    Disclaimer,
    Equipment,
    Exercise,
    Muscle,
    ProgressionSeries,
)


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


def _check_image_name(name: str, where: str) -> None:
    """A picture is named by a plain relative path (as export_catalog writes them): nothing
    absolute, no "..", no backslashes or NUL bytes that could reach outside a folder."""
    path = PurePosixPath(name)
    if (
        "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or ":" in name
        or name.startswith("~")
    ):
        raise CatalogFileError(
            f"{where}.image: “{name}” is not a plain relative file name such as "
            "exercises/2026/11/bridge.png."
        )


class _Applier:
    def __init__(self, clinic: Clinic | None, report: ApplyReport, images_dir: Path | None):
        self.clinic = clinic
        self.report = report
        self.images_dir = images_dir.resolve() if images_dir is not None else None
        self.equipment: dict[str, Equipment] = {}
        self.exercises: dict[str, Exercise] = {}

    # Lookups ---------------------------------------------------------------------------------

    def _image(self, name: str, where: str):
        """The picture a file names: from the import folder when it is there (stored anew),
        else one the catalog can already show (its own or the library's). Any other stored
        file, another clinic's included, is skipped with a note, as a missing one is."""
        if not name:
            return ""
        _check_image_name(name, where)
        if self.images_dir is not None:
            candidate = (self.images_dir / name).resolve()
            if candidate.is_relative_to(self.images_dir) and candidate.is_file():
                return ContentFile(candidate.read_bytes(), name=candidate.name)
        if Exercise.objects.visible_to_clinic(self.clinic).filter(image=name).exists():
            return name
        self.report.notes.append(
            f"{where}: picture {name} is not in the import folder or your catalog; skipped."
        )
        return ""

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
            image = self._image(record.pop("image"), where)
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
            if key == "image" and isinstance(value, ContentFile):
                if not _same_file(row.image.name, value):
                    changed[key] = value
                continue
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
                    {MASTERY_FIELDS[key]: value for key, value in step["rule"].items()},
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
        current = [
            (step.exercise_id, step.advance_when, {f: getattr(step, f) for f in rule})
            for step, (_exercise, _text, rule) in zip(row.steps.all(), steps, strict=False)
        ]
        if current != [(exercise.pk, text, rule) for exercise, text, rule in steps]:
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


def _same_file(stored_name: str, content: ContentFile) -> bool:
    if not stored_name or not default_storage.exists(stored_name):
        return False
    with default_storage.open(stored_name, "rb") as handle:
        return handle.read() == content.read()


def catalog_apply(*, clinic: Clinic | None, data, images_dir: Path | None = None) -> ApplyReport:
    """Make one owner's catalog match a decoded file, in one transaction (see module doc).
    Pictures come from `images_dir` (a folder export_catalog wrote) or are the catalog's own."""
    parsed = parse_catalog(data, library=clinic is None)
    report = ApplyReport()
    applier = _Applier(clinic, report, images_dir)
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
