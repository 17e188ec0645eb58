"""The shared program templates (clinic NULL), seeded from the exercise library's files."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from exercises.models import Exercise
from programs.dosage import default_dosage
from programs.models import ProgramTemplate, ProgramTemplateItem

ITEM_FIELDS = ("sets", "reps", "hold_seconds", "side", "notes")


@dataclass
class TemplateReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _wanted_items(spec: dict, exercises: dict[str, Exercise]) -> list[tuple]:
    rows = []
    for position, item in enumerate(spec["items"], start=1):
        exercise = exercises.get(item["exercise"])
        if exercise is None:
            raise ValidationError(
                f"Template {spec['slug']!r} names the exercise {item['exercise']!r}, "
                "which is not in the library. Run load_library first."
            )
        defaults = default_dosage(exercise)
        values = {
            "sets": item.get("sets") or defaults["sets"],
            "reps": item.get("reps") or defaults["reps"],
            "hold_seconds": item.get("hold_seconds"),
            "side": item.get("side") or "both",
            "notes": item.get("notes") or "",
        }
        rows.append((position, exercise.pk, *(values[name] for name in ITEM_FIELDS)))
    return rows


@transaction.atomic
def shared_templates_load(specs: list[dict]) -> TemplateReport:
    """Create or refresh shared templates by slug. A second run with the same data writes
    nothing; clinics' own templates are never touched."""
    report = TemplateReport()
    exercises = {exercise.slug: exercise for exercise in Exercise.objects.library()}
    for spec in specs:
        wanted = _wanted_items(spec, exercises)
        template = ProgramTemplate.objects.filter(clinic__isnull=True, slug=spec["slug"]).first()
        created = template is None
        if created:
            template = ProgramTemplate(clinic=None, slug=spec["slug"])
        header_changed = (template.name, template.description) != (
            spec["name"],
            spec.get("description", ""),
        )
        if header_changed:
            template.name = spec["name"]
            template.description = spec.get("description", "")
            template.full_clean()
            template.save()
        existing = (
            list(
                template.items.order_by("position").values_list(
                    "position", "exercise_id", *ITEM_FIELDS
                )
            )
            if not created
            else []
        )
        items_changed = existing != wanted
        if items_changed:
            template.items.all().delete()
            for position, exercise_id, *values in wanted:
                item = ProgramTemplateItem(
                    clinic_id=template.clinic_id,
                    template=template,
                    exercise_id=exercise_id,
                    position=position,
                    **dict(zip(ITEM_FIELDS, values, strict=True)),
                )
                item.full_clean()
                item.save()
        if created:
            report.created.append(template.name)
        elif header_changed or items_changed:
            report.updated.append(template.name)
        else:
            report.unchanged.append(template.name)
    return report
