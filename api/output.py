"""The base of every read-only representation, and the caller a serializer works for."""

from rest_framework import serializers


def caller(serializer):
    """The signed-in user a serializer works for (None while the schema is generated)."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class OutputSerializer(serializers.ModelSerializer):
    """A read-only representation whose schema says what the API really sends: the "" that
    blank model fields hold (DRF drops `allow_blank` from read-only fields, so the schema
    would promise a URL or a choice) and slugs in any script."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if issubclass(field_class, serializers.SlugField):
            # Slugs may hold any script's letters; a schema pattern with \w would promise
            # ASCII to clients, whose regex engines read \w that way.
            field_class = serializers.CharField
            kwargs.pop("allow_unicode", None)
        return field_class, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs
