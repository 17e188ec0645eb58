"""One error format for the whole API, in one place.

- The services raise Django's ValidationError with messages; they become DRF 400s with field
  errors here, never per view ({"field": ["message"]}, or {"non_field_errors": [...]}).
- Every other error is {"detail": "...", "code": "..."} in JSON: 401, 403, 404, 405, 429
  (with Retry-After, which DRF sets) and 500. Unknown URLs under /api/ answer a JSON 404
  (the catch-all route in api/urls.py), so no API client ever gets an HTML page.
"""

import logging
import sys

from django.core import signals
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("api")


def validation_error_from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as DRF's: field errors keep their field name."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [
                message for item in errors for message in item.messages
            ]
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None:
        if isinstance(response.data, dict) and set(response.data) == {"detail"}:
            response.data["code"] = getattr(exc, "default_code", "error")
            detail = getattr(exc, "detail", None)
            if hasattr(detail, "code") and detail.code:
                response.data["code"] = detail.code
        return response
    # Anything else is a bug: report it as Django would (logging, error e-mails, the test
    # client re-raising it), but answer in JSON.
    request = context.get("request")
    logger.error("Internal error in the API", exc_info=sys.exc_info())
    signals.got_request_exception.send(sender=None, request=getattr(request, "_request", None))
    return Response(
        {"detail": "Internal server error.", "code": "server_error"},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


@csrf_exempt  # else a POST with a session cookie would get Django's HTML CSRF page first
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in JSON like every other API error."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
