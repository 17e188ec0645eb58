"""Forms of the portal's questionnaires: one question per page, and the PSFS-style page where
the patient names their activities. They parse; programs.measures.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import ScaleRadioSelect
from programs.measures.engine import MAX_ACTIVITY_NAME, Item


def _choice_label(item: Item, value: int) -> str:
    if item.options:
        return item.label_of(value)
    if value == item.min and item.min_label:
        return f"{value} – {item.min_label}"
    if value == item.max and item.max_label:
        return f"{value} – {item.max_label}"
    return str(value)


class QuestionForm(forms.Form):
    """One item as an accessible radio group (a fieldset with the question as its legend).
    Not required: "Skip this question" leaves it unanswered."""

    def __init__(self, *args, item: Item, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the legend is a question: no colon after it
        super().__init__(*args, **kwargs)
        numeric = not item.options and item.max - item.min <= 10
        self.fields["answer"] = forms.TypedChoiceField(
            label=item.text,
            choices=[(v, _choice_label(item, v)) for v in item.values],
            coerce=int,
            empty_value=None,
            required=False,
            widget=ScaleRadioSelect
            if numeric and not (item.min_label or item.max_label)
            else forms.RadioSelect(attrs={"class": "choice-row"}),
            error_messages={"invalid_choice": _("Choose one of the answers shown.")},
        )


class ActivitiesForm(forms.Form):
    def __init__(self, *args, count: int, required: int, prompt: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.prompt = prompt
        for n in range(1, count + 1):
            label = (
                _("Activity %(n)s") % {"n": n}
                if n <= required
                else _("Activity %(n)s (optional)") % {"n": n}
            )
            self.fields[f"activity_{n}"] = forms.CharField(
                label=label, required=False, max_length=MAX_ACTIVITY_NAME
            )

    def names(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields if self.cleaned_data.get(name)]
