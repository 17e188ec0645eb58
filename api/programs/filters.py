"""The programs endpoints' query parameters."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from api.filters import BoundedIntegerFilter, UpdatedAfterFilter
from programs.models import (
    ProgramStatus,
)


class ProgramFilter(filters.FilterSet):
    patient = BoundedIntegerFilter(field_name="patient_id", help_text=_("Patient id."))
    therapist = BoundedIntegerFilter(field_name="therapist_id", help_text=_("Therapist id."))
    status = filters.ChoiceFilter(choices=ProgramStatus.choices)
    mine = filters.BooleanFilter(method="only_mine", help_text=_("Only programs I run."))
    updated_after = UpdatedAfterFilter()

    def only_mine(self, queryset, name, value):
        return queryset.filter(therapist=self.request.user) if value else queryset


class ItemFilter(filters.FilterSet):
    include_retired = filters.BooleanFilter(
        method="with_retired", help_text=_("Retired (replaced or removed) items too.")
    )

    def with_retired(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("include_retired"):
            queryset = queryset.current()
        return super().filter_queryset(queryset)


class LogFilter(filters.FilterSet):
    performed_from = filters.DateFilter(field_name="performed_on", lookup_expr="gte")
    performed_to = filters.DateFilter(field_name="performed_on", lookup_expr="lte")
    item = BoundedIntegerFilter(field_name="program_item_id", help_text=_("Program item id."))
    updated_after = UpdatedAfterFilter()
