"""OpenAPI: the error responses every operation can give, bounds on numbers, and the docs page.

drf-spectacular documents the successful responses from the serializers; this hook adds the
errors (one shared shape, see api/errors.py), so clients and the schemathesis run know every
status the API may answer.
"""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.drainage import warn
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Field name (or non_field_errors) -> messages.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}
ERROR_DESCRIPTIONS = {
    "400": ("ValidationError", "Invalid input: messages by field."),
    "401": ("Error", "No or invalid credentials."),
    "403": ("Error", "Signed in, but this role may not do this (or the disclaimer is due)."),
    "404": ("Error", "No such object among those you may see, or no such page."),
    "429": ("Error", "Too many requests; retry after the Retry-After header's seconds."),
}
MAX_ID = 2**63 - 1


def _response(component: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _bound_numeric_parameters(path: str, operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if schema.get("type") not in ("integer", "number") or "enum" in schema:
            continue
        if parameter["in"] == "path":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", MAX_ID)
        if "minimum" not in schema or "maximum" not in schema:
            warn(f"{path}: numeric parameter {parameter['name']!r} has no minimum/maximum")


def document_errors(result, generator, request, public):
    """Postprocessing hook: error responses on every operation and bounded numbers."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            _bound_numeric_parameters(path, operation)
            responses = operation.setdefault("responses", {})
            public_operation = {} in operation.get("security", [{}])
            wanted = ["403", "429"]
            if not public_operation:
                wanted.append("401")
            has_input = "requestBody" in operation or any(
                p["in"] == "query" for p in operation.get("parameters", [])
            )
            if has_input or method in ("post", "put", "patch", "delete"):
                wanted.append("400")
            if "{" in path or any(p["name"] == "page" for p in operation.get("parameters", [])):
                wanted.append("404")
            for code in sorted(wanted):
                if code not in responses:
                    responses[code] = _response(*ERROR_DESCRIPTIONS[code])
    return result


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local assets, its start-up script loaded as a file: the site's
    Content-Security-Policy allows no inline script or style."""

    template_name = "api/swagger_ui.html"

    def handle_exception(self, exc):
        # Only signed-in people read the docs (SERVE_PERMISSIONS); a browser that is not
        # signed in goes to the sign-in page and comes back here.
        if isinstance(exc, NotAuthenticated) and "script" not in self.request.GET:
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
