"""The things a patient uses, and where the person rests on them.

Props are data in a frame: {"kind": "mat"}, {"kind": "ball", "x": .., "r": ..},
{"kind": "chair", "x": .., "seat": .., "facing": "left"|"right"},
{"kind": "counter", "x": .., "height": .., "depth": "near"|"far"}, {"kind": "wall", "x": ..},
{"kind": "cuff", "side": "near"|"far"}. Units are body heights; the floor is y = 0.
"""

import math

MAT_THICKNESS = 0.012
CHAIR_SEAT_DEPTH = 0.26
CHAIR_BACK_HEIGHT = 0.27
COUNTER_WIDTH = 0.2
PROP_KINDS = {"mat", "ball", "chair", "counter", "wall", "cuff"}
SURFACES = {"floor", "ball", "chair", "counter"}


class PropError(ValueError):
    pass


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


PROP_FIELDS = {
    "mat": {},
    "ball": {"x": (-2, 2), "r": (0.08, 0.25)},
    "chair": {"x": (-2, 2), "seat": (0.15, 0.4)},
    "counter": {"x": (-2, 2), "height": (0.3, 0.7)},
    "wall": {"x": (-2, 2)},
    "cuff": {},
}


def prop_errors(props) -> list[str]:
    if not isinstance(props, list):
        return ["Props must be a list."]
    errors = []
    for prop in props:
        if not isinstance(prop, dict) or not isinstance(prop.get("kind"), str):
            errors.append(f"Unknown prop; use one of {', '.join(sorted(PROP_KINDS))}.")
            continue
        if prop["kind"] not in PROP_KINDS:
            errors.append(f"Unknown prop; use one of {', '.join(sorted(PROP_KINDS))}.")
            continue
        for field, (low, high) in PROP_FIELDS[prop["kind"]].items():
            value = prop.get(field)
            if not _number(value) or not low <= value <= high:
                errors.append(f"The {prop['kind']}'s {field} must be from {low} to {high}.")
        if prop["kind"] == "cuff" and prop.get("side") not in ("near", "far"):
            errors.append("An ankle weight goes on the near or the far leg.")
    return errors


def floor_top(props: list[dict]) -> float:
    """The surface a person lies or stands on: the mat's top, or the floor."""
    return MAT_THICKNESS if any(p["kind"] == "mat" for p in props) else 0.0


def _first(props, kind):
    for prop in props:
        if prop["kind"] == kind:
            return prop
    raise PropError(f"This frame has no {kind}.")


def surface_top(props: list[dict], surface: str) -> float:
    """The height of a flat surface (floor, chair seat, counter top)."""
    if surface == "floor":
        return floor_top(props)
    if surface == "chair":
        return _first(props, "chair")["seat"]
    if surface == "counter":
        return _first(props, "counter")["height"]
    raise PropError(f"{surface} is not a flat surface.")


def ball_centre(props: list[dict]) -> tuple[float, float]:
    ball = _first(props, "ball")
    return ball["x"], floor_top(props) + ball["r"]


def gap(props: list[dict], surface: str, point, radius: float) -> float:
    """How far the body surface around `point` is above (positive) or inside (negative) a
    surface."""
    if surface == "ball":
        cx, cy = ball_centre(props)
        return math.hypot(point[0] - cx, point[1] - cy) - _first(props, "ball")["r"] - radius
    return point[1] - radius - surface_top(props, surface)


def prop_bounds(prop: dict) -> list[tuple[float, float]]:
    kind = prop["kind"]
    if kind == "ball":
        return [(prop["x"] - prop["r"], 0), (prop["x"] + prop["r"], 2 * prop["r"])]
    if kind == "chair":
        x, back = prop["x"], prop["x"] + _facing(prop) * -CHAIR_SEAT_DEPTH
        return [(min(x, back), 0), (max(x, back), prop["seat"] + CHAIR_BACK_HEIGHT)]
    if kind == "counter":
        return [(prop["x"], 0), (prop["x"] + COUNTER_WIDTH, prop["height"])]
    if kind == "wall":
        return [(prop["x"], 0), (prop["x"] + 0.04, 1.05)]
    return []


def _facing(prop) -> int:
    return 1 if prop.get("facing", "right") == "right" else -1


def prop_shapes(prop: dict, top: float) -> list[tuple]:
    """Drawing primitives for a prop (see renderer): ("line", key, p1, p2, width, colour),
    ("rect", key, x, y, w, h, fill, stroke), ("circle", key, centre, r, fill, stroke)."""
    kind = prop["kind"]
    if kind == "ball":
        return [("circle", "ball", (prop["x"], top + prop["r"]), prop["r"], "#f2f2f2", "#4d4d4d")]
    if kind == "chair":
        # `x` is the front edge of the seat; a chair facing right has its back on the left.
        front, seat = prop["x"], prop["seat"]
        back = front - _facing(prop) * CHAIR_SEAT_DEPTH
        return [
            ("line", "chair_seat", (front, seat), (back, seat), 0.02, "#6b6b6b"),
            ("line", "chair_front_leg", (front, seat), (front, 0), 0.014, "#6b6b6b"),
            ("line", "chair_back", (back, 0), (back, seat + CHAIR_BACK_HEIGHT), 0.014, "#6b6b6b"),
        ]
    if kind == "counter":
        x, height = prop["x"], prop["height"]
        return [
            ("rect", "counter", x, 0, COUNTER_WIDTH, height, "#ededed", "#6b6b6b"),
            (
                "line",
                "counter_top",
                (x - 0.02, height),
                (x + COUNTER_WIDTH, height),
                0.02,
                "#6b6b6b",
            ),
        ]
    if kind == "wall":
        return [("rect", "wall", prop["x"], 0, 0.04, 1.05, "#ededed", "#6b6b6b")]
    return []
