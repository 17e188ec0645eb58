"""Filter fields with the bounds the schema promises, so fuzzed values answer 400, never 500."""

from datetime import UTC

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.drainage import set_override

MAX_ID = 2**63 - 1


class BoundedIntegerFilter(filters.NumberFilter):
    """An integer filter with a minimum and maximum, in the form and in the schema."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 1, max_value: int = MAX_ID, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        set_override(self, "field", {"type": "integer", "minimum": min_value, "maximum": max_value})


class SyncDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, handed to the database in UTC.

    Any offset Python accepts (up to ±23:59) is valid ISO 8601, but PostgreSQL refuses
    offsets beyond ±15:59 with a DataError; in UTC it never sees one. A time that leaves the
    years 1..9999 when converted is a validation error.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Enter a time between the years 1 and 9999."), code="invalid"
            ) from None


class UpdatedAfterFilter(filters.IsoDateTimeFilter):
    """`?updated_after=` for apps that sync: only rows changed after that moment."""

    field_class = SyncDateTimeField

    def __init__(self, field_name="updated_at", **kwargs):
        kwargs.setdefault("help_text", _("Only rows changed after this time (ISO 8601)."))
        super().__init__(field_name=field_name, lookup_expr="gt", **kwargs)
