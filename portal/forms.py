"""Forms of the patient portal. They parse and label input; the rules live in portal_services."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import MAX_REPS, MAX_SETS, ComparedToBefore, Difficulty

PAIN_CHOICES = [(n, str(n)) for n in range(11)]


class ScaleRadioSelect(forms.RadioSelect):
    """0-10 as a grid of large radio buttons (a slider is hard to use with shaky hands)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "choice-grid", **(attrs or {})})


class ExerciseLogForm(forms.Form):
    """What the patient did. Sets and repetitions start from the prescription; pain and
    difficulty start empty: they are the patient's own report, never guessed."""

    day = forms.DateField(widget=forms.HiddenInput)
    session = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    completed = forms.BooleanField(label=_("I did this exercise"), required=False, initial=True)
    sets_done = forms.IntegerField(
        label=_("Sets done"),
        required=False,
        min_value=0,
        max_value=MAX_SETS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reps_done = forms.IntegerField(
        label=_("Repetitions done (in each set)"),
        required=False,
        min_value=0,
        max_value=MAX_REPS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    pain = forms.TypedChoiceField(
        label=_("Pain during the exercise"),
        help_text=_("0 means no pain, 10 the worst pain you can imagine."),
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=ScaleRadioSelect,
    )
    difficulty = forms.ChoiceField(
        label=_("How hard did it feel?"),
        choices=Difficulty.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    note = forms.CharField(
        label=_("A note for your therapist (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PainCheckForm(forms.Form):
    compared_to_before = forms.ChoiceField(
        label=_("Compared to before you exercised, how does it feel this morning?"),
        choices=ComparedToBefore.choices,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
        error_messages={"required": _("Choose better, about the same or worse.")},
    )
    pain_now = forms.TypedChoiceField(
        label=_("How much pain do you have right now?"),
        help_text=_("0 means no pain, 10 the worst pain you can imagine."),
        choices=PAIN_CHOICES,
        coerce=int,
        widget=ScaleRadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )


class DisclaimerAcceptForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this and I agree"),
        error_messages={"required": _("Tick the box to confirm that you have read it.")},
    )


def _zone_choices():
    return [("", _("The clinic's time zone"))] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
    ]


class ReminderSettingsForm(forms.Form):
    """The patient's reminder choices. The rules (quiet hours, known time zones) are the
    model's, checked by portal_services.reminder_settings_update."""

    enabled = forms.BooleanField(label=_("Remind me on exercise days"), required=False)
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Between 07:00 and 21:00. Leave empty to use the time your therapist chose."),
    )
    by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    by_push = forms.BooleanField(
        label=_("As a notification on my phone or computer"),
        required=False,
        help_text=_("Needs “Remind me on this device” below, once on each device."),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), required=False, choices=_zone_choices)


class SessionLogForm(forms.Form):
    """The quick log at the end of one exercise of the guided session: which exercise (the
    page's own, checked by the view), the pain and how hard it felt (both optional)."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    pain = forms.TypedChoiceField(
        label=_("Pain during the exercise"),
        help_text=_("0 means no pain, 10 the worst pain you can imagine."),
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=ScaleRadioSelect,
        error_messages={"invalid_choice": _("Choose a number from 0 to 10.")},
    )
    difficulty = forms.ChoiceField(
        label=_("How hard did it feel?"),
        choices=Difficulty.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
        error_messages={"invalid_choice": _("Choose easy, about right or hard.")},
    )
