"""The catalog file format: what a file may hold, checked before anything is written."""

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
    "poses": ((dict,), {}),
    "beyond_source": ((bool,), False),
    "is_active": ((bool,), True),
    "copied_from": ((str, type(None)), None),
}
SERIES = {
    "slug": ((str,), REQUIRED),
    "name": ((str,), REQUIRED),
    "description": ((str,), ""),
    "steps": ((list,), REQUIRED),
}
STEP = {
    "exercise": ((str,), REQUIRED),
    "advance_when": ((str,), ""),
    "rule": ((dict, type(None)), None),
}
# A step's mastery rule (exercises.models.MASTERY_FIELDS); the defaults match the model's.
RULE = {
    "sessions": ((int,), 3),
    "sets": ((int, type(None)), None),
    "reps": ((int, type(None)), None),
    "hold_seconds": ((int, type(None)), None),
    "max_pain": ((int,), 2),
    "feels": ((str,), "easy"),
    "morning_not_worse": ((bool,), True),
}
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
            result[key] = type(default)(default) if isinstance(default, list | dict) else default
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
        for j, step in enumerate(series["steps"]):
            step["rule"] = _record(step["rule"] or {}, RULE, f"series[{i}].steps[{j}].rule")
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
