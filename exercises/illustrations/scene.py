"""A frame of an exercise picture: a pose placed on its support, with its props.

An exercise's illustration (the `Exercise.poses` field, and "poses" in the library file):

    {"start": FRAME, "end": FRAME, "moving": ["near_leg"], "arrow": "near_heel"}

    FRAME = {"pose": {"trunk": .., "neck": .., "near": {..}, "far": {..}},
             "anchor": ["near_heel", "floor", 0.0],   # this point rests here, at this x
             "contacts": [["shoulder", "floor"], ..],  # these must rest there too
             "props": [{"kind": "mat"}, ..]}

`moving` names the limbs drawn in the accent colour; `arrow` the point whose path from start
to end the arrow shows.
"""

from dataclasses import dataclass

from exercises.illustrations import pose as pose_model
from exercises.illustrations import props as prop_model

MOVING_GROUPS = {
    "trunk": ("trunk",),
    **{
        f"{side}_{limb}": tuple(
            f"{side}_{name}"
            for name, *_ in (pose_model.LEG_PARTS if limb == "leg" else pose_model.ARM_PARTS)
        )
        for side in pose_model.SIDES
        for limb in ("leg", "arm")
    },
}
POINTS = set(pose_model.CONTACT_RADIUS)


@dataclass(frozen=True)
class Scene:
    points: dict
    props: list
    contacts: list

    @property
    def floor_top(self) -> float:
        return prop_model.floor_top(self.props)

    def capsules(self):
        return pose_model.capsules(self.points)

    def contact_gaps(self) -> list[tuple[str, str, float]]:
        """(point, surface, gap) for each contact: 0 rests exactly, >0 floats, <0 sinks."""
        return [
            (
                point,
                surface,
                prop_model.gap(
                    self.props, surface, self.points[point], pose_model.CONTACT_RADIUS[point]
                ),
            )
            for point, surface in self.contacts
        ]


def frame_errors(frame, where: str) -> list[str]:
    if not isinstance(frame, dict):
        return [f"{where}: must be an object with a pose."]
    unknown = sorted(set(frame) - {"pose", "anchor", "contacts", "props"})
    errors = [f"{where}: unknown key(s) {', '.join(unknown)}."] if unknown else []
    errors += [f"{where}: {e}" for e in pose_model.pose_errors(frame.get("pose"))]
    props = frame.get("props", [])
    prop_errors = prop_model.prop_errors(props)
    errors += [f"{where}: {e}" for e in prop_errors]
    kinds = {p["kind"] for p in props} if not prop_errors else set()
    anchor = frame.get("anchor")
    if not (isinstance(anchor, list) and len(anchor) == 3):
        errors.append(f"{where}: the anchor is [point, surface, x].")
    else:
        errors += _contact_errors([anchor[:2]], kinds, where)
        if anchor[1] == "ball" or anchor[1] not in ("floor", "chair", "counter"):
            errors.append(f"{where}: the anchor rests on the floor, a chair or a counter.")
        if not prop_model._number(anchor[2]):
            errors.append(f"{where}: the anchor's x must be a number.")
    contacts = frame.get("contacts", [])
    if not isinstance(contacts, list):
        errors.append(f"{where}: contacts must be a list.")
    else:
        errors += _contact_errors(contacts, kinds, where)
    return errors


def _contact_errors(contacts, kinds, where) -> list[str]:
    errors = []
    for contact in contacts:
        if not (isinstance(contact, list) and len(contact) == 2):
            errors.append(f"{where}: a contact is [point, surface].")
            continue
        point, surface = contact
        if not isinstance(point, str) or not isinstance(surface, str):
            errors.append(f"{where}: a contact names a body point and a surface.")
            continue
        if point not in POINTS:
            errors.append(f"{where}: unknown body point {point!r}.")
        if surface not in prop_model.SURFACES or (surface != "floor" and surface not in kinds):
            errors.append(f"{where}: nothing to rest on called {surface!r}.")
    return errors


def illustration_errors(data) -> list[str]:
    """What is wrong with an exercise's start and end poses, in words; empty when valid."""
    if not isinstance(data, dict):
        return ["Poses must be an object with a start and an end."]
    unknown = sorted(set(data) - {"start", "end", "moving", "arrow"})
    errors = [f"Unknown key(s) {', '.join(unknown)}."] if unknown else []
    for frame in ("start", "end"):
        errors += frame_errors(data.get(frame), frame)
    moving = data.get("moving", [])
    if not isinstance(moving, list) or any(
        not isinstance(group, str) or group not in MOVING_GROUPS for group in moving
    ):
        errors.append(f"moving: a list of {', '.join(sorted(MOVING_GROUPS))}.")
    arrow = data.get("arrow")
    if arrow is not None and (not isinstance(arrow, str) or arrow not in POINTS):
        errors.append(f"arrow: unknown body point {data['arrow']!r}.")
    return errors


def layout(frame: dict) -> Scene:
    """Place a frame's pose so its anchor point rests on its surface at the anchor's x."""
    pose = pose_model.Pose.from_data(frame["pose"])
    props = frame.get("props", [])
    points = pose_model.skeleton(pose)
    point, surface, x = frame["anchor"]
    px, py = points[point]
    dx = x - px
    dy = prop_model.surface_top(props, surface) + pose_model.CONTACT_RADIUS[point] - py
    placed = {
        name: value if name == "face" else (value[0] + dx, value[1] + dy)
        for name, value in points.items()
    }
    contacts = [tuple(c) for c in [frame["anchor"][:2], *frame.get("contacts", [])]]
    return Scene(points=placed, props=props, contacts=contacts)
