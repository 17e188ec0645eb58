from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic
from exercises.models import Exercise
from programs.models import Program, ProgramItem, ProgramTemplate
from programs.reminder_rules import DEFAULT_REMINDER_TIME
from programs.schedule import (
    ALL_WEEKDAYS,
    WEEKDAY_CHOICES,
    mask_to_weekdays,
    weekdays_to_mask,
)


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Checkboxes for the days of the week, stored as a bit mask (programs/schedule.py)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            choices=WEEKDAY_CHOICES,
            coerce=int,
            label=_("Days of the week"),
            error_messages={"required": _("Choose at least one day of the week.")},
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, int):
            return mask_to_weekdays(value)
        return value

    def clean(self, value):
        return weekdays_to_mask(super().clean(value))


class ProgramForm(forms.ModelForm):
    weekdays = WeekdaysField(initial=ALL_WEEKDAYS)

    class Meta:
        model = Program
        fields = [
            "title",
            "start_date",
            "end_date",
            "weekdays",
            "sessions_per_day",
            "max_pain",
            "reminder_time",
            "notes",
        ]
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ProgramCreateForm(ProgramForm):
    template = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=ProgramTemplate.objects.none(),
        required=False,
        empty_label=_("An empty program"),
        help_text=_("A template fills in its exercises and dosages; you can change them after."),
    )

    class Meta(ProgramForm.Meta):
        fields = ["template", *ProgramForm.Meta.fields]

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ProgramTemplate.objects.visible_to_clinic(clinic)
        self.fields["reminder_time"].initial = DEFAULT_REMINDER_TIME


class ProgramItemForm(forms.ModelForm):
    """An item's prescription. Model validation (with the database constraints' messages)
    checks the load: a weight with kg or lb, a colour with a band, or nothing."""

    class Meta:
        model = ProgramItem
        fields = [
            "sets",
            "reps",
            "hold_seconds",
            "side",
            "load_amount",
            "load_unit",
            "band_colour",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class AddExerciseForm(forms.Form):
    """Only active exercises of the library or the clinic can be chosen; another clinic's id
    is “not a valid choice”."""

    exercise = forms.ModelChoiceField(label=_("Exercise"), queryset=Exercise.objects.none())

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = Exercise.objects.visible_to_clinic(clinic).active()


class TemplateFromProgramForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
