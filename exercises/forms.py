"""Forms of the catalog pages. Choice fields are limited to what the caller's clinic may use in
`__init__`, so an id of another clinic's row is an invalid choice, never a leak. Saving goes
through exercises.services; clinic.forms.add_service_errors shows the service's refusals."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinic.text import slug_from_name
from exercises.models import (
    MASTERY_FIELDS,
    BodyRegion,
    Difficulty,
    Equipment,
    Exercise,
    Muscle,
    Position,
    ProgressionSeries,
    ProgressionStep,
)
from exercises.selectors import CLINIC_SOURCE, LIBRARY_SOURCE
from exercises.validators import validate_http_url

# "1. Lie on your back" and "2) Lift" become "Lie on your back" and "Lift": the page numbers them.
LEADING_NUMBER = re.compile(r"^\s*(\d+[.)]|[-*•])\s*")


def https_by_default(db_field, **kwargs):
    """Model form fields as usual; a web address typed without a scheme gets https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("error_messages", {"invalid": validate_http_url.message})
    return db_field.formfield(**kwargs)


class LinesField(forms.CharField):
    """A textarea with one item per line, kept as a list of strings."""

    widget = forms.Textarea

    def __init__(self, *, strip_numbers: bool = True, **kwargs):
        self.strip_numbers = strip_numbers
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        lines = []
        for line in text.splitlines():
            if self.strip_numbers:
                line = LEADING_NUMBER.sub("", line)
            line = " ".join(line.split())
            if line:
                lines.append(line)
        return lines

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class SlugFromNameMixin:
    """An empty short name is made from the name, as the services do."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slug_from_name(self.cleaned_data.get("name", ""))
        if not slug:
            raise ValidationError(_("Enter a short name made of letters, numbers or hyphens."))
        return slug[:80]


class ExerciseForm(SlugFromNameMixin, forms.ModelForm):
    """Create or edit one of the clinic's own exercises."""

    instructions = LinesField(
        label=_("Steps"),
        help_text=_("One step per line, in order. The page numbers them."),
        error_messages={"required": _("Add at least one step.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    cues = LinesField(
        label=_("Form and safety cues"),
        required=False,
        help_text=_("One per line, e.g. “Keep your knees behind your toes.”"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Exercise
        formfield_callback = https_by_default
        fields = [
            "name",
            "slug",
            "summary",
            "position",
            "starting_position",
            "instructions",
            "cues",
            "difficulty",
            "default_sets",
            "default_reps",
            "default_hold_seconds",
            "per_side",
            "body_regions",
            "muscles",
            "equipment",
            "video_url",
            "image",
            "image_alt",
            "video",
            "video_poster",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "starting_position": forms.Textarea(attrs={"rows": 2}),
            "body_regions": forms.CheckboxSelectMultiple,
            "muscles": forms.CheckboxSelectMultiple,
            "equipment": forms.CheckboxSelectMultiple,
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "video": forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
            "video_poster": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic
        self.fields["slug"].required = False
        self.fields["equipment"].queryset = Equipment.objects.visible_to_clinic(clinic)
        self.fields["body_regions"].queryset = BodyRegion.objects.all()
        self.fields["muscles"].queryset = Muscle.objects.all()


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        formfield_callback = https_by_default
        fields = ["name", "purchase_url"]

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic


class SeriesForm(SlugFromNameMixin, forms.ModelForm):
    class Meta:
        model = ProgressionSeries
        fields = ["name", "slug", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic
        self.fields["slug"].required = False


class CatalogExerciseChoiceField(forms.ModelChoiceField):
    """Names alone can repeat (a library exercise and the clinic's copy), so say whose."""

    def label_from_instance(self, obj):
        owner = _("library") if obj.is_library else _("our clinic")
        return f"{obj.name} ({owner})"


class StepAddForm(forms.Form):
    """Add a step to a clinic series: any active exercise of the library or the clinic."""

    exercise = CatalogExerciseChoiceField(label=_("Exercise"), queryset=Exercise.objects.none())
    advance_when = forms.CharField(
        label=_("Move on when"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “3 sets of 15 with good form and no extra pain, 3 days in a row”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = (
            Exercise.objects.for_user(user).active().order_by("name", "clinic_id")
        )


class StepEditForm(forms.ModelForm):
    """The criterion in words for the patient, and the same criterion as a rule the logs are
    checked against ("Ready to progress" on the program page). A rule field left out of the
    posted form keeps its value."""

    class Meta:
        model = ProgressionStep
        fields = ["advance_when", *MASTERY_FIELDS.values()]
        widgets = {"advance_when": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("mastery_sessions", "mastery_max_pain", "mastery_feels"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("mastery_sessions", "mastery_max_pain", "mastery_feels"):
            if cleaned.get(name) in (None, "") and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class DisclaimerPublishForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Once published, this version cannot be changed; publish a new one instead."),
    )


class ExerciseFilterForm(forms.Form):
    """The search and filters of the catalog list (GET). Invalid values are ignored."""

    q = forms.CharField(
        label=_("Name, muscle or body region"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    position = forms.ChoiceField(
        label=_("Position"), required=False, choices=[("", _("Any position")), *Position.choices]
    )
    equipment = forms.ModelChoiceField(
        label=_("Equipment"),
        required=False,
        queryset=Equipment.objects.none(),
        empty_label=_("Any equipment"),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any difficulty")), *Difficulty.choices],
    )
    source = forms.ChoiceField(
        label=_("Catalog"),
        required=False,
        choices=[
            ("", _("Library and clinic")),
            (LIBRARY_SOURCE, _("Shared library")),
            (CLINIC_SOURCE, _("Our clinic")),
        ],
    )
    archived = forms.BooleanField(label=_("Include archived exercises"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = Equipment.objects.for_user(user)
        if not user.is_clinic_admin:
            del self.fields["archived"]

    def filters(self) -> dict:
        """The valid filter values, under the names `exercise_catalog` takes."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "position": data.get("position") or "",
            "equipment": data.get("equipment"),
            "difficulty": data.get("difficulty"),
            "source": data.get("source") or "",
            "include_archived": bool(data.get("archived")),
        }


# --- Pose editor -------------------------------------------------------------------------------

POSE_FRAMES = ("start", "end")
TRUNK_RANGE = (-180, 180)
JOINT_LABELS = {
    "trunk": _("Trunk lean, degrees (forward is positive)"),
    "neck": _("Neck bend, degrees"),
    "near_shoulder": _("Shoulder, near side, degrees"),
    "near_elbow": _("Elbow, near side, degrees"),
    "near_hip": _("Hip, near side, degrees"),
    "near_knee": _("Knee, near side, degrees"),
    "near_ankle": _("Ankle, near side, degrees"),
    "far_shoulder": _("Shoulder, far side, degrees"),
    "far_elbow": _("Elbow, far side, degrees"),
    "far_hip": _("Hip, far side, degrees"),
    "far_knee": _("Knee, far side, degrees"),
    "far_ankle": _("Ankle, far side, degrees"),
}
FRAME_LABELS = {"start": _("Start"), "end": _("End")}
# Where the person is, as props and the point that rests on something (see scene.py).
SETTINGS = {
    "floor": {
        "label": _("Standing on the floor"),
        "props": [],
        "anchor": ["near_heel", "floor", 0.0],
    },
    "mat": {
        "label": _("On a mat on the floor"),
        "props": [{"kind": "mat"}],
        "anchor": ["hip", "floor", 0.0],
    },
    "chair": {
        "label": _("Sitting on a chair"),
        "props": [{"kind": "chair", "x": 0.05, "seat": 0.26, "facing": "right"}],
        "anchor": ["hip", "chair", 0.0],
    },
    "counter": {
        "label": _("Standing, holding a counter"),
        "props": [{"kind": "counter", "x": 0.3, "height": 0.5}],
        "anchor": ["near_heel", "floor", 0.0],
    },
    "wall": {
        "label": _("Standing by a wall"),
        "props": [{"kind": "wall", "x": -0.25}],
        "anchor": ["near_heel", "floor", 0.0],
    },
}
CURRENT_SETTING = "current"
CUFF_CHOICES = (
    ("", _("No ankle weight")),
    ("near", _("Ankle weight on the near leg")),
    ("far", _("Ankle weight on the far leg")),
)


def pose_field_name(frame: str, joint: str) -> str:
    return f"{frame}_{joint}"


def _joint_range(joint: str) -> tuple[int, int]:
    from exercises.illustrations.pose import JOINT_RANGES

    return TRUNK_RANGE if joint == "trunk" else JOINT_RANGES[joint.split("_")[-1]]


def _pose_value(pose: dict, joint: str) -> float:
    if joint in ("trunk", "neck"):
        return pose.get(joint, 0)
    side, name = joint.split("_", 1)
    return pose.get(side, {}).get(name, 0)


class PoseEditorForm(forms.Form):
    """A range input per joint for the start and end pose, where the person is, and an ankle
    weight. The angles are checked by the pose model (exercises.illustrations.pose), so the
    editor refuses exactly what the library file refuses."""

    setting = forms.ChoiceField(label=_("Where the person is"))
    cuff = forms.ChoiceField(label=_("Ankle weight"), choices=CUFF_CHOICES, required=False)

    def __init__(self, *args, exercise: Exercise, **kwargs):
        self.exercise = exercise
        current = exercise.poses or {}
        initial = kwargs.pop("initial", None) or self.initial_from(current)
        super().__init__(*args, initial=initial, **kwargs)
        choices = [(key, value["label"]) for key, value in SETTINGS.items()]
        if current:
            choices.insert(0, (CURRENT_SETTING, _("As now (keep the current props)")))
        self.fields["setting"].choices = choices
        for frame in POSE_FRAMES:
            for joint, label in JOINT_LABELS.items():
                low, high = _joint_range(joint)
                self.fields[pose_field_name(frame, joint)] = forms.FloatField(
                    label=format_lazy("{}: {}", FRAME_LABELS[frame], label),
                    widget=forms.NumberInput(
                        attrs={
                            "type": "range",
                            "min": low,
                            "max": high,
                            "step": 1,
                            "data-pose-joint": "",
                        }
                    ),
                )

    @staticmethod
    def initial_from(poses: dict) -> dict:
        initial = {"setting": CURRENT_SETTING if poses else "floor", "cuff": ""}
        for frame in POSE_FRAMES:
            pose = poses.get(frame, {}).get("pose", {}) if poses else {}
            for joint in JOINT_LABELS:
                initial[pose_field_name(frame, joint)] = _pose_value(pose, joint)
        if poses:
            cuffs = [p for p in poses["start"].get("props", []) if p.get("kind") == "cuff"]
            initial["cuff"] = cuffs[0]["side"] if cuffs else ""
        return initial

    def joint_rows(self):
        """(label, start field, end field) per joint, for the two-column table."""
        return [
            (
                label,
                self[pose_field_name("start", joint)],
                self[pose_field_name("end", joint)],
            )
            for joint, label in JOINT_LABELS.items()
        ]

    def clean(self):
        from exercises.illustrations.pose import pose_errors

        cleaned = super().clean()
        for frame in POSE_FRAMES:
            for joint in JOINT_LABELS:
                name = pose_field_name(frame, joint)
                if name not in cleaned:
                    continue
                value = cleaned[name]
                if joint in ("trunk", "neck"):
                    probe = {joint: value}
                else:
                    side, part = joint.split("_", 1)
                    probe = {side: {part: value}}
                for message in pose_errors(probe):
                    self.add_error(name, message)
        return cleaned

    def poses(self) -> dict:
        """The poses the cleaned values describe, in the shape of Exercise.poses."""
        data = self.cleaned_data
        current = self.exercise.poses or {}
        result = {key: value for key, value in current.items() if key in ("moving", "arrow")}
        for frame in POSE_FRAMES:
            pose = {"trunk": data[f"{frame}_trunk"], "neck": data[f"{frame}_neck"]}
            for side in ("near", "far"):
                pose[side] = {
                    part: data[f"{frame}_{side}_{part}"]
                    for part in ("shoulder", "elbow", "hip", "knee", "ankle")
                }
            setting = data.get("setting") or "floor"
            if setting == CURRENT_SETTING and current:
                base = current[frame]
                props = [p for p in base.get("props", []) if p.get("kind") != "cuff"]
                placed = {"anchor": base["anchor"], "props": props}
                if base.get("contacts"):
                    placed["contacts"] = base["contacts"]
            else:
                chosen = SETTINGS.get(setting, SETTINGS["floor"])
                placed = {"anchor": list(chosen["anchor"]), "props": list(chosen["props"])}
            if data.get("cuff"):
                placed["props"] = [*placed["props"], {"kind": "cuff", "side": data["cuff"]}]
            result[frame] = {"pose": pose, **placed}
        return result
