"""Serving an exercise's stored picture. Callers decide who may see the exercise (the catalog
through `Exercise.objects.for_user`, the portal through the patient's own program items)."""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from clinic.middleware import mark_not_personal
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
