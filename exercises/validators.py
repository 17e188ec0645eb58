"""Field validators of the catalog. They run in `full_clean()`, so forms, services, the Django
admin and the importers all apply the same checks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Formats every browser shows. SVG is not here on purpose: it can carry scripts.
ALLOWED_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

validate_http_url = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
    # Its own code, so model forms keep this message instead of a generic "invalid" one.
    code="invalid_web_address",
)


def validate_text_lines(value) -> None:
    """A list of non-empty strings: ordered steps or cues."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Enter a list of lines of text."), code="invalid")
    if any(not item.strip() for item in value):
        raise ValidationError(_("Lines cannot be empty."), code="empty_line")


def validate_poses(value) -> None:
    """Empty, or an exercise's start and end poses that a person can take (see
    exercises/illustrations/scene.py for the shape)."""
    from exercises.illustrations.scene import illustration_errors

    if value in (None, {}):
        return
    errors = illustration_errors(value)
    if errors:
        raise ValidationError(errors, code="invalid_pose")


def image_max_bytes() -> int:
    return settings.EXERCISE_IMAGE_MAX_BYTES


def validate_exercise_image(value) -> None:
    """A new upload must be a JPEG, PNG or WebP picture no larger than the configured limit.

    Files already in storage passed this check when they were uploaded, so they are not
    read again on every later save.
    """
    if not value or getattr(value, "_committed", False):
        return
    if value.size > image_max_bytes():
        raise ValidationError(
            _("The image is %(size)s; the largest allowed is %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(value.size),
                "limit": filesizeformat(image_max_bytes()),
            },
        )
    try:
        value.seek(0)
        with Image.open(value) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG, PNG or WebP image."),
            code="invalid_image",
        ) from None
    finally:
        value.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image (this one is %(format)s)."),
            code="invalid_image_format",
            params={"format": image_format or _("unknown")},
        )


# Video containers every current browser plays, told apart by their first bytes.
ALLOWED_VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
WEBM_DOCTYPE = b"\x42\x82"  # the EBML DocType element; its value says "webm"


def video_max_bytes() -> int:
    return settings.EXERCISE_VIDEO_MAX_BYTES


def video_type(head: bytes) -> str | None:
    """The video's content type from its container signature, or None: MP4 is an ISO base
    media file (a first box of type `ftyp`), WebM an EBML file whose DocType is `webm`."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] != b"qt  ":
        return "video/mp4"  # a QuickTime brand is a .mov, which not every browser plays
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        at = head.find(WEBM_DOCTYPE)
        if at != -1 and head[at + 3 : at + 7] == b"webm":
            return "video/webm"
    return None


def validate_exercise_video(value) -> None:
    """A new upload must be an MP4 or WebM video (by its bytes, and named so) no larger than
    the configured limit. Stored files passed this when they were uploaded."""
    if not value or getattr(value, "_committed", False):
        return
    if value.size > video_max_bytes():
        raise ValidationError(
            _("The video is %(size)s; the largest allowed is %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(value.size),
                "limit": filesizeformat(video_max_bytes()),
            },
        )
    try:
        value.seek(0)
        head = value.read(64)
    finally:
        value.seek(0)
    found = video_type(head)
    suffix = "." + value.name.rsplit(".", 1)[-1].lower() if "." in value.name else ""
    if found is None or ALLOWED_VIDEO_TYPES.get(suffix) != found:
        raise ValidationError(
            _("This file is not a video we can show. Upload an MP4 or WebM video."),
            code="invalid_video",
        )
