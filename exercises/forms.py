"""Forms of the catalog pages. Choice fields are limited to what the caller's clinic may use in
`__init__`, so an id of another clinic's row is an invalid choice, never a leak. Saving goes
through exercises.services; clinic.forms.add_service_errors shows the service's refusals."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
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
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "starting_position": forms.Textarea(attrs={"rows": 2}),
            "body_regions": forms.CheckboxSelectMultiple,
            "muscles": forms.CheckboxSelectMultiple,
            "equipment": forms.CheckboxSelectMultiple,
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
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
