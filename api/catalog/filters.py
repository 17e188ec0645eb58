"""The catalog's query parameters: the catalog page's filters, applied by its selector."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from api.filters import BoundedIntegerFilter, UpdatedAfterFilter
from exercises import selectors
from exercises.models import (
    Difficulty,
    DisclaimerKind,
    Position,
)

SOURCE_CHOICES = [
    (selectors.LIBRARY_SOURCE, _("Shared library")),
    (selectors.CLINIC_SOURCE, _("My clinic")),
]


class ExerciseFilter(filters.FilterSet):
    """The catalog page's filters; the selector `exercise_catalog` applies them."""

    q = filters.CharFilter(method="by_selector", max_length=100, help_text=_("Search words."))
    position = filters.ChoiceFilter(choices=Position.choices, method="by_selector")
    equipment = BoundedIntegerFilter(method="by_selector", help_text=_("Equipment id."))
    difficulty = filters.TypedChoiceFilter(
        choices=Difficulty.choices, coerce=int, method="by_selector"
    )
    source = filters.ChoiceFilter(choices=SOURCE_CHOICES, method="by_selector")
    include_archived = filters.BooleanFilter(
        method="by_selector", help_text=_("Clinic admins only: archived exercises too.")
    )
    updated_after = UpdatedAfterFilter()

    def by_selector(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        exercises = selectors.exercise_catalog(
            user=self.request.user,
            exercises=queryset,
            query=data.get("q") or "",
            position=data.get("position") or "",
            equipment=data.get("equipment"),
            difficulty=data.get("difficulty") or None,
            source=data.get("source") or "",
            include_archived=bool(data.get("include_archived")),
        )
        if data.get("updated_after"):
            exercises = exercises.filter(updated_at__gt=data["updated_after"])
        return exercises


class SeriesFilter(filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    exercise = BoundedIntegerFilter(
        field_name="steps__exercise", distinct=True, help_text=_("Series containing it.")
    )


class EquipmentFilter(filters.FilterSet):
    updated_after = UpdatedAfterFilter()


class DisclaimerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=DisclaimerKind.choices)
