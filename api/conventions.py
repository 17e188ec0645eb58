"""Conventions every list and detail endpoint shares: pages, throttles and ETags."""

import hashlib
import json

from django.utils.http import quote_etag
from rest_framework import pagination, serializers, throttling
from rest_framework.settings import api_settings

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100). A page past the end answers 404."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": MAX_PAGE},
            self.page_size_query_param: {"minimum": 1, "maximum": MAX_PAGE_SIZE},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class RuntimeRatesMixin:
    """Read the rate when a request comes, not when the module is imported, so the rates
    follow the settings (DRF's own classes keep the dict they saw at import time)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(RuntimeRatesMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RuntimeRatesMixin, throttling.UserRateThrottle):
    pass


class TokenRateThrottle(RuntimeRatesMixin, throttling.AnonRateThrottle):
    """Token requests per client address, on top of django-axes' per-account lockout."""

    scope = "token"


def etag_for(data) -> str:
    """A strong ETag of a representation: it changes whenever anything the client sees does."""
    payload = json.dumps(data, sort_keys=True, default=str).encode()
    return quote_etag(hashlib.sha256(payload).hexdigest()[:32])


class ETagMixin:
    """Detail responses carry an ETag; a GET with a matching If-None-Match answers 304.

    Apps that sync keep the ETag (or the `updated_at` field where a resource has one) and
    ask again with If-None-Match, so an unchanged object costs no body.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("GET", "PATCH", "PUT")
            and response.status_code == 200
            and getattr(self, "detail", False)
            and isinstance(response.data, dict)
        ):
            etag = etag_for(response.data)
            response["ETag"] = etag
            if request.method == "GET" and etag in _if_none_match(request):
                response.status_code = 304
                response.data = None
        return response


def _if_none_match(request) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    return {tag.strip() for tag in header.split(",") if tag.strip()}


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
