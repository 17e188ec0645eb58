"""The patient list's query parameters."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters


class PatientFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search", max_length=100, help_text=gettext_lazy("Name or e-mail words.")
    )
    mine = filters.BooleanFilter(
        method="only_mine", help_text=gettext_lazy("Only patients I am the primary therapist of.")
    )
    include_inactive = filters.BooleanFilter(
        method="with_inactive", help_text=gettext_lazy("Inactive patients too.")
    )

    def search(self, queryset, name, value):
        return queryset.search(value)

    def only_mine(self, queryset, name, value):
        return queryset.filter(primary_therapist=self.request.user) if value else queryset

    def with_inactive(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.active()
        return super().filter_queryset(queryset)
