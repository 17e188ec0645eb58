"""htmx requests: how to tell them, and how to redirect them to a whole new page."""

from django.http import HttpResponse
from django.shortcuts import redirect


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect_page(request, url: str) -> HttpResponse:
    """A redirect that htmx follows as a whole-page visit (HX-Redirect) instead of swapping the
    target page into a fragment of the current one; a plain redirect otherwise."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
