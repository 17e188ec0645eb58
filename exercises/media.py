"""Serving an exercise's stored picture. Callers decide who may see the exercise (the catalog
through `Exercise.objects.for_user`, the portal through the patient's own program items)."""

import hashlib
import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse

from clinic.middleware import mark_not_personal
from exercises.illustrations.renderer import FRAMES, illustration_svg
from exercises.models import Exercise
from exercises.validators import ALLOWED_IMAGE_FORMATS


def exercise_image_response(exercise: Exercise) -> FileResponse:
    """The picture as a private, cacheable response; 404 when there is none (or it is not one
    of the picture types we accept)."""
    if not exercise.image:
        raise Http404
    content_type = mimetypes.guess_type(exercise.image.name)[0]
    if content_type not in ALLOWED_IMAGE_FORMATS.values():
        raise Http404
    try:
        handle = default_storage.open(exercise.image.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return mark_not_personal(response)  # a catalog picture, not anyone's data


def exercise_illustration_response(exercise: Exercise, frame: str) -> HttpResponse:
    """The drawn start or end picture, or the animation between, as SVG; 404 when the
    exercise has no poses. Same poses, same bytes, so the ETag is the content's hash."""
    if not exercise.poses or frame not in FRAMES:
        raise Http404
    svg = illustration_svg(exercise.poses, frame, exercise.illustration_alt[frame])
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = f'"{hashlib.sha256(svg.encode()).hexdigest()[:32]}"'
    response["Cache-Control"] = "private, max-age=86400"
    return mark_not_personal(response)  # a drawing of the exercise, not anyone's data
