"""SVG pictures of an exercise's start and end poses, and an animation between them.

Style: rounded strokes, the near limbs dark, the far limbs light grey, the moving limbs in
one accent colour (a blue that prints as a dark grey) with an arrow along the moving point's
path. Only presentation attributes, no style attributes or <style>: the SVG is served from
our own URL and shown with <img>, and nothing in it needs 'unsafe-inline'. Same data, same
bytes: numbers are rounded and the output is cached by the poses' canonical JSON.
"""

import json
import math
from functools import lru_cache
from xml.sax.saxutils import escape

from exercises.illustrations import pose as pose_model
from exercises.illustrations import props as prop_model
from exercises.illustrations.scene import MOVING_GROUPS, Scene, layout

SCALE = 100  # SVG units per body height
NEAR = "#262626"
FAR = "#9a9a9a"
ACCENT = "#0072b2"
ACCENT_FAR = "#7fb3d9"
HALO = "#ffffff"
MARGIN = 0.06
ANIMATION_STEPS = 6
ANIMATION_SECONDS = 4
FRAMES = ("start", "end", "animated")


def _n(value: float) -> str:
    text = f"{value * SCALE:.1f}"
    return "0.0" if text == "-0.0" else text


def _x(value: float) -> str:
    return _n(value)


def _y(value: float) -> str:
    return _n(-value)


def _body_shapes(scene: Scene, moving: set[str]) -> list[tuple]:
    """The person, back to front: far arm and leg, trunk and head, near leg and arm."""
    parts = {name: (a, b, r) for name, a, b, r in scene.capsules()}
    cuff_sides = {p["side"] for p in scene.props if p["kind"] == "cuff"}
    order = (
        [f"far_{n}" for n, *_ in pose_model.ARM_PARTS]
        + [f"far_{n}" for n, *_ in pose_model.LEG_PARTS]
        + ["trunk", "neck"]
        + [f"near_{n}" for n, *_ in pose_model.LEG_PARTS]
        + [f"near_{n}" for n, *_ in pose_model.ARM_PARTS]
    )
    shapes = []
    for name in order:
        a, b, r = parts[name]
        far = name.startswith("far_")
        colour = (ACCENT_FAR if far else ACCENT) if name in moving else (FAR if far else NEAR)
        if not far:  # a thin white edge keeps overlapping near parts apart in print
            shapes.append(("line", f"{name}_halo", a, b, 2 * r + 0.012, HALO))
        shapes.append(("line", name, a, b, 2 * r, colour))
        side = name.split("_")[0]
        if name.endswith("_shank") and side in cuff_sides:
            cuff_a = _towards(b, a, 0.02)
            cuff_b = _towards(b, a, 0.075)
            shapes.append(("line", f"{side}_cuff", cuff_a, cuff_b, 2 * r + 0.03, "#000000"))
        if name == "neck":
            head = scene.points["head"]
            colour = ACCENT if "head" in moving else NEAR
            shapes.append(("circle", "head", head, pose_model.HEAD_RADIUS, colour, HALO))
            face = scene.points["face"]
            nose_base = _offset(head, face, pose_model.HEAD_RADIUS * 0.9)
            nose_tip = _offset(head, face, pose_model.HEAD_RADIUS * 1.25)
            shapes.append(("line", "nose", nose_base, nose_tip, 0.016, colour))
    return shapes


def _towards(a, b, distance):
    length = math.dist(a, b) or 1.0
    return a[0] + (b[0] - a[0]) * distance / length, a[1] + (b[1] - a[1]) * distance / length


def _offset(point, unit, distance):
    return point[0] + unit[0] * distance, point[1] + unit[1] * distance


def _prop_shapes(scene: Scene, *, behind: bool) -> list[tuple]:
    shapes = []
    for prop in scene.props:
        in_front = prop["kind"] == "counter" and prop.get("depth") == "near"
        if in_front != behind:
            shapes += prop_model.prop_shapes(prop, scene.floor_top)
    return shapes


def _moving_parts(data: dict) -> set[str]:
    return {part for group in data.get("moving", []) for part in MOVING_GROUPS[group]}


def _bounds(scenes: list[Scene]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for scene in scenes:
        for _name, a, b, r in scene.capsules():
            xs += [a[0] - r, a[0] + r, b[0] - r, b[0] + r]
            ys += [a[1] - r, a[1] + r, b[1] - r, b[1] + r]
        for prop in scene.props:
            for x, y in prop_model.prop_bounds(prop):
                xs.append(x)
                ys.append(y)
    ys.append(0.0)
    return min(xs) - MARGIN, min(ys) - MARGIN / 2, max(xs) + MARGIN, max(ys) + MARGIN


def _floor(bounds) -> list[tuple]:
    left, _bottom, right, _top = bounds
    return [("line", "floor", (left, -0.004), (right, -0.004), 0.008, "#4d4d4d")]


def _mat(scene: Scene, bounds) -> list[tuple]:
    if not any(p["kind"] == "mat" for p in scene.props):
        return []
    xs = [a[0] for _n, a, _b, _r in scene.capsules()] + [b[0] for _n, _a, b, _r in scene.capsules()]
    left, right = max(min(xs) - 0.08, bounds[0]), min(max(xs) + 0.08, bounds[2])
    return [("rect", "mat", left, 0, right - left, prop_model.MAT_THICKNESS, "#d9d9d9", "#4d4d4d")]


def _arrow(start: Scene, end: Scene, point: str) -> list[str]:
    """A curved arrow beside the moving point's path, from where it starts to where it ends."""
    a, b = start.points[point], end.points[point]
    length = math.dist(a, b)
    if length < 0.03:
        return []
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    nx, ny = -uy, ux
    hip = start.points["hip"]
    middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    if (middle[0] - hip[0]) * nx + (middle[1] - hip[1]) * ny < 0:
        nx, ny = -nx, -ny  # bow away from the body, where the arrow has room
    off = 0.07
    p0 = (a[0] + nx * off + ux * 0.02, a[1] + ny * off + uy * 0.02)
    p2 = (b[0] + nx * off - ux * 0.05, b[1] + ny * off - uy * 0.05)
    mid = ((p0[0] + p2[0]) / 2 + nx * 0.04, (p0[1] + p2[1]) / 2 + ny * 0.04)
    tip = (b[0] + nx * off, b[1] + ny * off)
    wing = 0.035
    left = (p2[0] + nx * wing / 2, p2[1] + ny * wing / 2)
    right = (p2[0] - nx * wing / 2, p2[1] - ny * wing / 2)
    return [
        f'<path d="M{_x(p0[0])} {_y(p0[1])} Q{_x(mid[0])} {_y(mid[1])} {_x(p2[0])} {_y(p2[1])}" '
        f'fill="none" stroke="{ACCENT}" stroke-width="{_n(0.012)}" stroke-linecap="round"/>',
        f'<polygon points="{_x(tip[0])},{_y(tip[1])} {_x(left[0])},{_y(left[1])} '
        f'{_x(right[0])},{_y(right[1])}" fill="{ACCENT}"/>',
    ]


def _element(shape: tuple, animate: list[tuple] | None = None) -> str:
    """One primitive as SVG; `animate` is the same primitive in every animation keyframe."""
    kind = shape[0]
    if kind == "line":
        _k, _key, a, b, width, colour = shape
        attrs = (
            f'x1="{_x(a[0])}" y1="{_y(a[1])}" x2="{_x(b[0])}" y2="{_y(b[1])}" '
            f'stroke="{colour}" stroke-width="{_n(width)}" stroke-linecap="round"'
        )
        if not animate:
            return f"<line {attrs}/>"
        children = "".join(
            _animate(name, [fmt(s[index][axis]) for s in animate])
            for name, index, axis, fmt in (
                ("x1", 2, 0, _x),
                ("y1", 2, 1, _y),
                ("x2", 3, 0, _x),
                ("y2", 3, 1, _y),
            )
        )
        return f"<line {attrs}>{children}</line>"
    if kind == "circle":
        _k, _key, centre, r, fill, stroke = shape
        attrs = (
            f'cx="{_x(centre[0])}" cy="{_y(centre[1])}" r="{_n(r)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{_n(0.006)}"'
        )
        if not animate:
            return f"<circle {attrs}/>"
        children = _animate("cx", [_x(s[2][0]) for s in animate]) + _animate(
            "cy", [_y(s[2][1]) for s in animate]
        )
        return f"<circle {attrs}>{children}</circle>"
    if kind == "rect":
        _k, _key, x, y, w, h, fill, stroke = shape
        return (
            f'<rect x="{_x(x)}" y="{_y(y + h)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{_n(0.006)}"/>'
        )
    raise ValueError(kind)


def _animate(attribute: str, values: list[str]) -> str:
    if len(set(values)) == 1:
        return ""
    return (
        f'<animate attributeName="{attribute}" values="{";".join(values)}" '
        f'dur="{ANIMATION_SECONDS}s" repeatCount="indefinite" calcMode="spline" '
        f'keySplines="{";".join(["0.4 0 0.6 1"] * (len(values) - 1))}"/>'
    )


def _between(start: dict, end: dict, t: float) -> dict:
    """A frame part way from start to end: angles, anchor x and the ball's x interpolated."""

    def mix(a, b):
        return a + (b - a) * t

    pose_a, pose_b = start["pose"], end["pose"]
    pose = {
        "trunk": mix(pose_a.get("trunk", 0), pose_b.get("trunk", 0)),
        "neck": mix(pose_a.get("neck", 0), pose_b.get("neck", 0)),
    }
    for side in pose_model.SIDES:
        pose[side] = {
            joint: mix(pose_a.get(side, {}).get(joint, 0), pose_b.get(side, {}).get(joint, 0))
            for joint in pose_model.LIMB_JOINTS
        }
    anchor = list(start["anchor"])
    anchor[2] = mix(start["anchor"][2], end["anchor"][2])
    props = []
    end_props = {p["kind"]: p for p in end.get("props", [])}
    for prop in start.get("props", []):
        if prop["kind"] == "ball" and "ball" in end_props:
            prop = {**prop, "x": mix(prop["x"], end_props["ball"]["x"])}
        props.append(prop)
    return {"pose": pose, "anchor": anchor, "props": props}


def _svg(bounds, title: str, body: list[str]) -> str:
    left, bottom, right, top = bounds
    width, height = right - left, top - bottom
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{_x(left)} {_y(top)} {_n(width)} {_n(height)}" '
        f'width="{_n(width * 2)}" height="{_n(height * 2)}" role="img">'
        f"<title>{escape(title)}</title>"
        f'<rect x="{_x(left)}" y="{_y(top)}" width="{_n(width)}" height="{_n(height)}" '
        'fill="#ffffff"/>' + "".join(body) + "</svg>\n"
    )


@lru_cache(maxsize=512)
def _render(canonical: str, frame: str, title: str) -> str:
    data = json.loads(canonical)
    start, end = layout(data["start"]), layout(data["end"])
    bounds = _bounds([start, end])
    moving = _moving_parts(data)
    shown = {"start": start, "end": end, "animated": start}[frame]
    body = [_element(s) for s in _floor(bounds) + _mat(shown, bounds)]
    body += [_element(s) for s in _prop_shapes(shown, behind=True) if s[1] != "ball"]
    if frame == "animated":
        steps = [t / ANIMATION_STEPS for t in range(ANIMATION_STEPS + 1)]
        times = steps + steps[::-1][1:]
        scenes = [layout(_between(data["start"], data["end"], t)) for t in times]
        keyed = [
            {s[1]: s for s in [*_ball(scene), *_body_shapes(scene, moving)]} for scene in scenes
        ]
        body += [_element(shape, [k[key] for k in keyed]) for key, shape in keyed[0].items()]
    else:
        body += [_element(s) for s in _ball(shown) + _body_shapes(shown, moving)]
        if data.get("arrow"):
            body += _arrow(start, end, data["arrow"])
    body += [_element(s) for s in _prop_shapes(shown, behind=False)]
    return _svg(bounds, title, body)


def _ball(scene: Scene) -> list[tuple]:
    return [s for s in _prop_shapes(scene, behind=True) if s[1] == "ball"]


def illustration_svg(poses: dict, frame: str, title: str = "") -> str:
    """The SVG of an exercise's `start` or `end` pose, or the `animated` movement between."""
    if frame not in FRAMES:
        raise ValueError(f"frame must be one of {FRAMES}")
    return _render(json.dumps(poses, sort_keys=True, separators=(",", ":")), frame, title)
