"""A side-view person posed by joint angles.

Lengths are fractions of body height after Drillis and Contini (1966), as tabulated in
Winter, *Biomechanics and Motor Control of Human Movement*: shoulder height 0.818 H, hip
(greater trochanter) 0.530 H, knee 0.285 H, ankle 0.039 H, upper arm 0.186 H, forearm
0.146 H, hand 0.108 H, foot 0.152 H. Coordinates are in units of height, x to the right,
y up, the floor at y = 0.

Angles are degrees. `trunk` is the trunk's lean from upright, forward positive: 0 stands,
-90 lies on the back (head to the left), 90 lies on the stomach (head to the right). The
other angles are joint angles of the sagittal plane, 0 being upright standing:
neck flexion, shoulder flexion, elbow flexion, hip flexion (negative: extension), knee
flexion, ankle dorsiflexion (negative: plantarflexion). Each limb has a near side (towards
the viewer, drawn darker) and a far side.
"""

import math
from dataclasses import dataclass

THIGH = 0.530 - 0.285
SHANK = 0.285 - 0.039
TRUNK = 0.818 - 0.530
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108 * 0.7  # the palm and fingers drawn, without the wrist's share
FOOT = 0.152
HEEL_BELOW_ANKLE = 0.039
HEEL_BEHIND_ANKLE = 0.03
NECK = 0.052 + 0.06  # shoulder to chin height, then chin to the head's centre
HEAD_RADIUS = 0.065

# Half the drawn thickness of each part: what touches the floor is the surface, not the bone.
RADIUS = {
    "trunk": 0.05,
    "neck": 0.022,
    "upper_arm": 0.024,
    "forearm": 0.02,
    "hand": 0.014,
    "thigh": 0.036,
    "shank": 0.027,
    "foot": 0.014,
}

# Joint ranges of motion (degrees), generous adult values (AAOS): a pose outside is a typo.
JOINT_RANGES = {
    "neck": (-60, 70),
    "shoulder": (-60, 180),
    "elbow": (0, 150),
    "hip": (-30, 130),
    "knee": (0, 150),
    "ankle": (-50, 30),
}
LIMB_JOINTS = ("shoulder", "elbow", "hip", "knee", "ankle")
SIDES = ("near", "far")


class PoseError(ValueError):
    """A pose that is not a person: an unknown joint, a non-number or an impossible angle."""


@dataclass(frozen=True)
class Pose:
    trunk: float
    neck: float
    near: dict
    far: dict

    @classmethod
    def from_data(cls, data: dict) -> "Pose":
        errors = pose_errors(data)
        if errors:
            raise PoseError(" ".join(errors))
        return cls(
            trunk=float(data.get("trunk", 0)),
            neck=float(data.get("neck", 0)),
            near={j: float(data.get("near", {}).get(j, 0)) for j in LIMB_JOINTS},
            far={j: float(data.get("far", {}).get(j, 0)) for j in LIMB_JOINTS},
        )


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def pose_errors(data) -> list[str]:
    """Plain-words problems with a pose's angles; empty when it is a possible human pose."""
    if not isinstance(data, dict):
        return ["A pose must be an object of joint angles."]
    errors = []
    trunk = data.get("trunk", 0)
    if not _number(trunk) or not -180 <= trunk <= 180:
        errors.append("The trunk angle must be a number from -180 to 180 degrees.")
    checks = [("neck", data.get("neck", 0))]
    for side in SIDES:
        limb = data.get(side, {})
        if not isinstance(limb, dict):
            errors.append(f"The {side} side must be an object of joint angles.")
            continue
        unknown = sorted(set(limb) - set(LIMB_JOINTS))
        if unknown:
            errors.append(f"Unknown joint(s) on the {side} side: {', '.join(unknown)}.")
        checks += [(f"{side} {joint}", limb.get(joint, 0)) for joint in LIMB_JOINTS]
    for name, value in checks:
        low, high = JOINT_RANGES[name.split()[-1]]
        if not _number(value):
            errors.append(f"The {name} angle must be a number.")
        elif not low <= value <= high:
            errors.append(f"The {name} angle must be between {low} and {high} degrees.")
    return errors


def _direction(degrees: float) -> tuple[float, float]:
    radians = math.radians(degrees)
    return math.cos(radians), math.sin(radians)


def _step(point, degrees, length):
    dx, dy = _direction(degrees)
    return point[0] + dx * length, point[1] + dy * length


def skeleton(pose: Pose, origin=(0.0, 0.0)) -> dict[str, tuple[float, float]]:
    """The joint positions of a pose with the hip at `origin` (absolute segment angles are
    measured anticlockwise from +x; a standing person faces +x)."""
    points = {"hip": origin}
    trunk_dir = 90 - pose.trunk
    shoulder = _step(origin, trunk_dir, TRUNK)
    points["shoulder"] = shoulder
    neck_dir = trunk_dir - pose.neck
    points["head"] = _step(shoulder, neck_dir, NECK)
    points["neck"] = _step(shoulder, neck_dir, NECK - HEAD_RADIUS)
    points["face"] = _direction(neck_dir - 90)  # a unit vector: where the face looks
    for side in SIDES:
        limb = getattr(pose, side)
        thigh_dir = trunk_dir + 180 + limb["hip"]
        knee = _step(origin, thigh_dir, THIGH)
        shank_dir = thigh_dir - limb["knee"]
        ankle = _step(knee, shank_dir, SHANK)
        foot_dir = shank_dir + 90 + limb["ankle"]
        heel = _step(_step(ankle, foot_dir - 90, HEEL_BELOW_ANKLE), foot_dir, -HEEL_BEHIND_ANKLE)
        toe = _step(heel, foot_dir, FOOT)
        arm_dir = trunk_dir + 180 + limb["shoulder"]
        elbow = _step(shoulder, arm_dir, UPPER_ARM)
        forearm_dir = arm_dir + limb["elbow"]
        wrist = _step(elbow, forearm_dir, FOREARM)
        hand = _step(wrist, forearm_dir, HAND)
        points.update(
            {
                f"{side}_knee": knee,
                f"{side}_ankle": ankle,
                f"{side}_heel": heel,
                f"{side}_toe": toe,
                f"{side}_elbow": elbow,
                f"{side}_wrist": wrist,
                f"{side}_hand": hand,
            }
        )
    return points


# The drawn parts: (name, from point, to point, radius key). A side's parts use its prefix.
TRUNK_PARTS = [("trunk", "hip", "shoulder", "trunk"), ("neck", "shoulder", "neck", "neck")]
LEG_PARTS = [
    ("thigh", "hip", "{side}_knee", "thigh"),
    ("shank", "{side}_knee", "{side}_ankle", "shank"),
    ("foot", "{side}_heel", "{side}_toe", "foot"),
    ("heel", "{side}_ankle", "{side}_heel", "foot"),
]
ARM_PARTS = [
    ("upper_arm", "shoulder", "{side}_elbow", "upper_arm"),
    ("forearm", "{side}_elbow", "{side}_wrist", "forearm"),
    ("hand", "{side}_wrist", "{side}_hand", "hand"),
]


def capsules(points: dict) -> list[tuple[str, tuple, tuple, float]]:
    """Every drawn body part as (name, start, end, radius), the head as a zero-length one."""
    parts = [(name, points[a], points[b], RADIUS[r]) for name, a, b, r in TRUNK_PARTS]
    for side in SIDES:
        for name, a, b, r in LEG_PARTS + ARM_PARTS:
            parts.append(
                (
                    f"{side}_{name}",
                    points[a.format(side=side)],
                    points[b.format(side=side)],
                    RADIUS[r],
                )
            )
    parts.append(("head", points["head"], points["head"], HEAD_RADIUS))
    return parts


# Points that can rest on something, with the radius of the body surface around them.
CONTACT_RADIUS = {
    "hip": RADIUS["trunk"],
    "shoulder": RADIUS["trunk"],
    "head": HEAD_RADIUS,
    **{f"{side}_knee": RADIUS["thigh"] for side in SIDES},
    **{f"{side}_heel": RADIUS["foot"] for side in SIDES},
    **{f"{side}_toe": RADIUS["foot"] for side in SIDES},
    **{f"{side}_elbow": RADIUS["upper_arm"] for side in SIDES},
    **{f"{side}_wrist": RADIUS["forearm"] for side in SIDES},
    **{f"{side}_hand": RADIUS["hand"] for side in SIDES},
    **{f"{side}_ankle": RADIUS["shank"] for side in SIDES},
}


def angle_at(a, b, c) -> float:
    """The angle ABC in degrees (180: the three points are in a straight line)."""
    v1 = (a[0] - b[0], a[1] - b[1])
    v2 = (c[0] - b[0], c[1] - b[1])
    dot = v1[0] * v2[0] + v1[1] * v2[1]
    norm = math.hypot(*v1) * math.hypot(*v2)
    return math.degrees(math.acos(max(-1.0, min(1.0, dot / norm))))
