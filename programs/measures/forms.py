"""Staff forms for outcome measures: assigning one to a patient."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.measures.models import MAX_EVERY_WEEKS, Instrument


class MeasureAssignForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Measure"),
        queryset=Instrument.objects.none(),
        error_messages={"invalid_choice": _("Choose a measure of your clinic's list.")},
    )
    starts_on = forms.DateField(
        label=_("First time"),
        help_text=_("The patient is asked from this day on."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    every_weeks = forms.IntegerField(
        label=_("Repeat every (weeks)"),
        required=False,
        min_value=1,
        max_value=MAX_EVERY_WEEKS,
        help_text=_("Leave empty to ask only at the start (and at discharge)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    at_discharge = forms.BooleanField(
        label=_("Ask again at discharge (when the last program is completed)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = (
            Instrument.objects.visible_to_clinic(clinic).current().order_by("short_name", "pk")
        )
