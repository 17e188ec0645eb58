"""Writing a clinic's catalog as a file of the same format."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone

from clinic.models import Clinic
from exercises.catalog_file.schema import FORMAT, FORMAT_VERSION, LIBRARY_PREFIX
from exercises.models import (
    Disclaimer,
    Equipment,
    Exercise,
    ProgressionSeries,
)


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
                "poses": row.poses,
                "beyond_source": row.beyond_source,
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
                    {
                        "exercise": _ref(step.exercise, clinic),
                        "advance_when": step.advance_when,
                        "rule": step.rule,
                    }
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


def copy_pictures(data: dict, folder: Path) -> int:
    """Copy the pictures an exported file names into `folder`, under the same relative names
    (import_catalog --images reads them back). Returns how many were copied."""
    copied = 0
    for record in data.get("exercises", []):
        name = record.get("image")
        if not name or not default_storage.exists(name):
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source:
            target.write_bytes(source.read())
        copied += 1
    return copied
