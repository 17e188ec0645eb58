"""Serving an exercise's stored picture and video. Callers decide who may see the exercise
(the catalog through `Exercise.objects.for_user`, the portal through the patient's own
program items)."""

import hashlib
import mimetypes
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

from clinic.middleware import mark_not_personal
from exercises.illustrations.renderer import FRAMES, illustration_svg
from exercises.models import Exercise
from exercises.validators import ALLOWED_IMAGE_FORMATS, ALLOWED_VIDEO_TYPES


def exercise_image_response(exercise: Exercise, field: str = "image") -> FileResponse:
    """The picture (or the video's poster frame, `field="video_poster"`) as a private,
    cacheable response; 404 when there is none (or it is not a picture type we accept)."""
    file = getattr(exercise, field)
    if not file:
        raise Http404
    content_type = mimetypes.guess_type(file.name)[0]
    if content_type not in ALLOWED_IMAGE_FORMATS.values():
        raise Http404
    try:
        handle = default_storage.open(file.name, "rb")
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


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `bytes=` range, clipped to the file; None when the
    range is malformed or cannot be satisfied (answered 416)."""
    match = RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return None
        return max(size - length, 0), size - 1
    first = int(first)
    last = size - 1 if last == "" else min(int(last), size - 1)
    if first >= size or first > last:
        return None
    return first, last


def _chunks(handle, remaining: int):
    try:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def exercise_video_response(request, exercise: Exercise) -> HttpResponse:
    """The video through the storage API, with HTTP range requests so a player can scrub:
    200 with the whole file, 206 Partial Content for one `Range: bytes=...`, 416 for a range
    that is malformed or past the end. 404 when there is no video."""
    if not exercise.video:
        raise Http404
    name = exercise.video.name
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = ALLOWED_VIDEO_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        size = default_storage.size(name)
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    header = request.headers.get("Range", "")
    if header and "," not in header:  # several ranges at once: the whole file instead
        span = _byte_range(header, size)
        if span is None:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        else:
            first, last = span
            handle.seek(first)
            length = last - first + 1
            response = StreamingHttpResponse(
                _chunks(handle, length), status=206, content_type=content_type
            )
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            response["Content-Length"] = str(length)
    else:
        response = StreamingHttpResponse(_chunks(handle, size), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return mark_not_personal(response)  # a catalog video, not anyone's data
