"""Outcome-measure instruments as data: checking a definition, the items a patient answers,
checking answers, and scoring.

A definition is plain JSON (docs/measures-format.md). Everything here is pure Python: no
database, so the rules are tested on their own and the same code checks a file before it is
loaded, the portal's answers and the API's.

Scoring rules: ``sum``, ``mean`` and ``percent_of_max`` (the answered items' distance from
their lowest option as a percentage of the largest possible distance). The missing-item rule
is ``min_answered`` (no score below it) and, for ``sum``, ``prorate`` (the sum of the answered
items scaled up to all items). ``subscales`` score named subsets of the items the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMAT = 1
METHODS = ("sum", "mean", "percent_of_max")
DIRECTIONS = ("higher", "lower")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
MAX_ITEMS = 100
MAX_TEXT = 500
MAX_ACTIVITY_NAME = 100
ACTIVITY_PREFIX = "activity_"


class DefinitionError(ValueError):
    """A definition that cannot be used; `field` names the bad part (e.g. items[2].max)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    min: int
    max: int
    options: tuple[tuple[int, str], ...] = ()  # (value, label); empty for a numeric scale
    min_label: str = ""
    max_label: str = ""

    @property
    def values(self) -> list[int]:
        return [value for value, _label in self.options] or list(range(self.min, self.max + 1))

    def label_of(self, value) -> str:
        for option_value, label in self.options:
            if option_value == value:
                return label
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Score:
    total: float | None
    subscales: dict[str, float | None] = field(default_factory=dict)
    answered: int = 0
    of: int = 0


# --- Checking a definition -----------------------------------------------------------------


def _require(data: dict, key: str, where: str, kind, *, optional=False):
    if key not in data:
        if optional:
            return None
        raise DefinitionError(f"{where}{key}", "is missing")
    value = data[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise DefinitionError(f"{where}{key}", "must be a whole number")
    if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise DefinitionError(f"{where}{key}", "must be a number")
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise DefinitionError(f"{where}{key}", "must be a non-empty text")
    if kind is str and len(value) > MAX_TEXT * 4:
        raise DefinitionError(f"{where}{key}", f"is longer than {MAX_TEXT * 4} characters")
    if kind in (dict, list, bool) and not isinstance(value, kind):
        names = {dict: "an object", list: "a list", bool: "true or false"}
        raise DefinitionError(f"{where}{key}", f"must be {names[kind]}")
    return value


def _check_scale(data: dict, where: str) -> tuple[int, int]:
    low = _require(data, "min", where, int)
    high = _require(data, "max", where, int)
    if not 0 <= high - low <= 100 or low < -100:
        raise DefinitionError(f"{where}max", "must be above min, at most 100 steps, min >= -100")
    if low == high:
        raise DefinitionError(f"{where}max", "must be above min")
    return low, high


def _check_item(data, index: int, seen: set) -> Item:
    where = f"items[{index}]."
    if not isinstance(data, dict):
        raise DefinitionError(f"items[{index}]", "must be an object")
    item_id = _require(data, "id", where, str)
    if not ID_PATTERN.match(item_id) or item_id.startswith(ACTIVITY_PREFIX):
        raise DefinitionError(
            f"{where}id", "use lowercase letters, digits and _ (not starting with activity_)"
        )
    if item_id in seen:
        raise DefinitionError(f"{where}id", f"{item_id!r} is used twice")
    seen.add(item_id)
    text = _require(data, "text", where, str)
    if "options" in data:
        raw = _require(data, "options", where, list)
        if not 2 <= len(raw) <= 101:
            raise DefinitionError(f"{where}options", "needs 2 to 101 options")
        options = []
        for n, option in enumerate(raw):
            at = f"{where}options[{n}]."
            if not isinstance(option, dict):
                raise DefinitionError(f"{where}options[{n}]", "must be an object")
            value = _require(option, "value", at, int)
            label = _require(option, "label", at, str)
            if any(value == v for v, _label in options):
                raise DefinitionError(f"{at}value", f"{value} is used twice")
            options.append((value, label))
        values = [v for v, _label in options]
        return Item(item_id, text, min(values), max(values), tuple(options))
    if "min" not in data and "max" not in data:
        raise DefinitionError(f"{where}options", "is missing (or give min and max)")
    low, high = _check_scale(data, where)
    return Item(
        item_id,
        text,
        low,
        high,
        min_label=data.get("min_label", "") or "",
        max_label=data.get("max_label", "") or "",
    )


def _check_rule(data: dict, where: str, item_ids: list[str] | None) -> None:
    method = _require(data, "method", where, str)
    if method not in METHODS:
        raise DefinitionError(f"{where}method", f"must be one of {', '.join(METHODS)}")
    count = len(item_ids) if item_ids is not None else None
    min_answered = _require(data, "min_answered", where, int, optional=True)
    if min_answered is not None and (min_answered < 1 or (count and min_answered > count)):
        raise DefinitionError(f"{where}min_answered", "must be between 1 and the number of items")
    prorate = _require(data, "prorate", where, bool, optional=True)
    if prorate and method != "sum":
        raise DefinitionError(f"{where}prorate", "only applies to the sum method")


def check_definition(data) -> dict:
    """The definition if it can be used, else DefinitionError naming the bad field."""
    if not isinstance(data, dict):
        raise DefinitionError("(file)", "must be a JSON object")
    if data.get("format") != FORMAT:
        raise DefinitionError("format", f"must be {FORMAT}")
    slug = _require(data, "slug", "", str)
    if not SLUG_PATTERN.match(slug):
        raise DefinitionError("slug", "use lowercase letters, digits and - (at most 50)")
    version = _require(data, "version", "", int)
    if not 1 <= version <= 10000:
        raise DefinitionError("version", "must be between 1 and 10000")
    for key in ("name", "short_name", "licence"):
        _require(data, key, "", str)
    if len(data["name"]) > 150:
        raise DefinitionError("name", "is longer than 150 characters")
    if len(data["short_name"]) > 30:
        raise DefinitionError("short_name", "is longer than 30 characters")
    for key in ("intro", "description"):
        if key in data and not isinstance(data[key], str):
            raise DefinitionError(key, "must be a text")

    activities = _require(data, "activities", "", dict, optional=True)
    items = []
    if activities is not None:
        where = "activities."
        low = _require(activities, "min_count", where, int)
        high = _require(activities, "max_count", where, int)
        if not 1 <= low <= high <= 10:
            raise DefinitionError(f"{where}max_count", "need 1 <= min_count <= max_count <= 10")
        _require(activities, "question", where, str)
        if "{activity}" not in activities["question"]:
            raise DefinitionError(f"{where}question", "must contain {activity}")
        _require(activities, "name_prompt", where, str)
        _check_scale(activities, where)
        if "items" in data:
            raise DefinitionError("items", "an instrument has either items or activities")
    else:
        raw_items = _require(data, "items", "", list)
        if not 1 <= len(raw_items) <= MAX_ITEMS:
            raise DefinitionError("items", f"needs 1 to {MAX_ITEMS} items")
        seen: set[str] = set()
        items = [_check_item(item, n, seen) for n, item in enumerate(raw_items)]
        for n, item in enumerate(items):
            if len(item.text) > MAX_TEXT:
                raise DefinitionError(f"items[{n}].text", f"is longer than {MAX_TEXT} characters")

    scoring = _require(data, "scoring", "", dict)
    item_ids = [item.id for item in items] if activities is None else None
    _check_rule(scoring, "scoring.", item_ids)
    subscales = _require(scoring, "subscales", "scoring.", list, optional=True) or []
    if subscales and activities is not None:
        raise DefinitionError("scoring.subscales", "are not available with activities")
    sub_ids: set[str] = set()
    for n, sub in enumerate(subscales):
        where = f"scoring.subscales[{n}]."
        if not isinstance(sub, dict):
            raise DefinitionError(f"scoring.subscales[{n}]", "must be an object")
        sub_id = _require(sub, "id", where, str)
        if not ID_PATTERN.match(sub_id) or sub_id in sub_ids:
            raise DefinitionError(f"{where}id", "must be a unique lowercase id")
        sub_ids.add(sub_id)
        _require(sub, "name", where, str)
        members = _require(sub, "items", where, list)
        unknown = [m for m in members if m not in item_ids]
        if not members or unknown:
            raise DefinitionError(f"{where}items", f"unknown items: {unknown or 'none given'}")
        _check_rule(sub, where, members)

    expected = natural_range({**data, "scoring": scoring}, items)
    score_range = _require(data, "range", "", dict)
    low = _require(score_range, "min", "range.", float)
    high = _require(score_range, "max", "range.", float)
    if expected is not None and (low, high) != expected:
        raise DefinitionError(
            "range",
            f"the items and the scoring rule give {_num(expected[0])} to {_num(expected[1])}",
        )
    if _require(data, "better", "", str) not in DIRECTIONS:
        raise DefinitionError("better", "must be higher or lower")
    for key in ("mcid", "mdc"):
        block = _require(data, key, "", dict, optional=key == "mdc")  # not every one has an MDC
        if block is None:
            continue
        value = _require(block, "value", f"{key}.", float)
        if not 0 < value <= high - low:
            raise DefinitionError(f"{key}.value", "must be above 0 and within the score range")
        _require(block, "source", f"{key}.", str)
        if "item_value" in block:
            _require(block, "item_value", f"{key}.", float)
    if "score_is_change" in data:
        _require(data, "score_is_change", "", bool)
    return data


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def natural_range(data: dict, items: list[Item]) -> tuple[float, float] | None:
    """The lowest and highest total score the items allow under the scoring method."""
    method = data["scoring"]["method"]
    if method == "percent_of_max":
        return (0, 100)
    if "activities" in data:
        low, high = data["activities"]["min"], data["activities"]["max"]
        if method == "mean":
            return (low, high)
        return None  # a sum over a variable number of activities has no fixed range
    if method == "mean":
        return (min(i.min for i in items), max(i.max for i in items))
    return (sum(i.min for i in items), sum(i.max for i in items))


# --- Items and answers ---------------------------------------------------------------------


def items_of(definition: dict, activities: list[str] | None = None) -> list[Item]:
    """The questions in order: the definition's items, or one per named activity."""
    if "activities" in definition:
        block = definition["activities"]
        return [
            Item(
                f"{ACTIVITY_PREFIX}{n}",
                block["question"].replace("{activity}", name),
                block["min"],
                block["max"],
                min_label=block.get("min_label", ""),
                max_label=block.get("max_label", ""),
            )
            for n, name in enumerate(activities or [], start=1)
        ]
    seen: set[str] = set()
    return [_check_item(item, n, seen) for n, item in enumerate(definition["items"])]


def clean_activities(definition: dict, names) -> list[str]:
    """The activities a patient named: between min_count and max_count, none repeated."""
    block = definition.get("activities")
    if block is None:
        if names:
            raise ValidationError({"activities": _("This questionnaire has no activities.")})
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationError({"activities": _("Give the activities as a list of names.")})
    cleaned = [" ".join(n.split()) for n in names if n and n.strip()]
    if any(len(n) > MAX_ACTIVITY_NAME for n in cleaned):
        raise ValidationError(
            {"activities": _("Keep each activity under %(n)s characters.") % {"n": 100}}
        )
    if len({n.lower() for n in cleaned}) != len(cleaned):
        raise ValidationError({"activities": _("Name each activity once.")})
    if not block["min_count"] <= len(cleaned) <= block["max_count"]:
        raise ValidationError(
            {
                "activities": _("Name between %(low)s and %(high)s activities.")
                % {"low": block["min_count"], "high": block["max_count"]}
            }
        )
    return cleaned


def clean_answers(items: list[Item], answers) -> dict[str, int]:
    """Answers keyed by item id, each one of the item's values. Unanswered items are left
    out (or given as null); unknown items and values out of range are errors."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers as an object of item: value.")})
    by_id = {item.id: item for item in items}
    errors = []
    cleaned = {}
    for key, value in answers.items():
        item = by_id.get(key)
        if item is None:
            errors.append(_("%(item)s: there is no such question.") % {"item": str(key)[:40]})
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            errors.append(
                _("%(item)s: choose one of %(values)s.")
                % {"item": key, "values": ", ".join(str(v) for v in item.values)}
                if item.options
                else _("%(item)s: choose a whole number from %(low)s to %(high)s.")
                % {"item": key, "low": item.min, "high": item.max}
            )
            continue
        cleaned[key] = value
    if errors:
        raise ValidationError({"answers": errors})
    return cleaned


# --- Scoring -------------------------------------------------------------------------------


def _rule_score(rule: dict, items: list[Item], answers: dict[str, int]) -> float | None:
    answered = [item for item in items if item.id in answers]
    needed = rule.get("min_answered", len(items))
    if not answered or len(answered) < needed:
        return None
    values = [answers[item.id] for item in answered]
    method = rule["method"]
    if method == "mean":
        result = sum(values) / len(values)
    elif method == "percent_of_max":
        span = sum(item.max - item.min for item in answered)
        result = 100 * sum(answers[i.id] - i.min for i in answered) / span
    else:
        result = sum(values)
        if rule.get("prorate") and len(answered) < len(items):
            result = result * len(items) / len(answered)
    return round(result, 2)


def score(definition: dict, answers: dict[str, int], activities: list[str] | None = None) -> Score:
    """The total and subscale scores of cleaned answers; None where the missing-item rule
    says too few items were answered."""
    items = items_of(definition, activities)
    rule = definition["scoring"]
    by_id = {item.id: item for item in items}
    subscales = {
        sub["id"]: _rule_score(sub, [by_id[m] for m in sub["items"]], answers)
        for sub in rule.get("subscales", [])
    }
    return Score(
        total=_rule_score(rule, items, answers) if items else None,
        subscales=subscales,
        answered=sum(1 for item in items if item.id in answers),
        of=len(items),
    )
