"""What the printable handout shows: the program, its exercises and the clinic's disclaimer."""

import segno
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clinic.site import site_url
from exercises.models import DisclaimerKind
from exercises.selectors import disclaimer_current
from programs.models import Program


def sign_in_qr_svg(url: str) -> str:
    """An inline SVG QR code (segno escapes the title; the rest is its own markup)."""
    code = segno.make(url, error="m")
    return mark_safe(  # noqa: S308 - segno builds the markup; the only text is escaped
        code.svg_inline(scale=3, title=_("QR code: sign-in page"), svgclass="qr")
    )


def handout_context(request, program: Program) -> dict:
    items = list(
        program.items.current()
        .select_related("exercise")
        .prefetch_related(Prefetch("exercise__equipment"))
        .order_by("position")
    )
    sign_in_url = site_url(request) + reverse("login")
    return {
        "program": program,
        "items": items,
        "clinic": program.clinic,
        "patient": program.patient,
        "disclaimer": disclaimer_current(clinic=program.clinic, kind=DisclaimerKind.MEDICAL),
        "sign_in_url": sign_in_url,
        "qr_svg": sign_in_qr_svg(sign_in_url),
    }
