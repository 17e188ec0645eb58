"""The handout as a PDF, made on the server with WeasyPrint: 2 or 3 exercises a page with
their start and end pictures, the clinic's paper size, the patient's name and page numbers on
every page. Nothing is fetched over the network: pictures and the QR code are inline, and the
only files read are our own static files.

WeasyPrint needs about a second for a 6-exercise handout, while the HTML it lays out takes a
few milliseconds: the PDF is cached under a hash of everything it is made from (the HTML, the
page CSS, the stylesheet's content and WeasyPrint's version). Any change to the program, an
exercise, the clinic or the disclaimer changes the HTML and so the key: nothing to invalidate.
"""

import base64
import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint import __version__ as weasyprint_version
from weasyprint.urls import URLFetcher

from exercises.illustrations.renderer import illustration_svg
from programs.handout import handout_context
from programs.models import Program

STYLESHEET = "css/handout_pdf.css"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
PDF_CACHE_SECONDS = 24 * 60 * 60


class LocalFetcher(URLFetcher):
    """Serves data: URIs and our static files from disk; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"not a local file: {url[:80]}")
        return super().fetch(path.as_uri(), headers)


def static_path(url: str) -> Path | None:
    """The file on disk behind a /static/ URL (ours only), or None."""
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    marker = url.find(prefix)
    if marker < 0 or not url.startswith(("/", "file:", "http://localhost", "http://testserver")):
        return None
    name = url[marker + len(prefix) :].split("?")[0].split("#")[0]
    if ".." in name.split("/"):
        return None
    found = finders.find(name)
    return Path(found) if found else None


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _pictures(exercise) -> dict | None:
    if not exercise.is_illustrated:
        return None
    alt = exercise.illustration_alt
    return {
        frame: {
            "src": _svg_uri(illustration_svg(exercise.poses, frame, alt[frame])),
            "alt": alt[frame],
        }
        for frame in ("start", "end")
    }


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_css(paper: str) -> str:
    """The paper size, and "Page 1 of 2" in the patient's language in each page's corner."""
    before, _sep, after = (
        _("Page %(page)s of %(pages)s") % {"page": "\0", "pages": "\1"}
    ).partition("\0")
    middle, _sep, end = after.partition("\1")
    content = " ".join(
        [
            _css_string(before),
            "counter(page)",
            _css_string(middle),
            "counter(pages)",
            _css_string(end),
        ]
    )
    return "@page { size: %s; @bottom-right { content: %s; } }" % (paper, content)  # noqa: UP031


@once
def _stylesheet_digest() -> str:
    """The stylesheet's content (read once per process: static files change with a deploy)."""
    return hashlib.sha256(Path(finders.find(STYLESHEET)).read_bytes()).hexdigest()


def _pdf_cache_key(html: str, page_css: str) -> str:
    made_of = "\0".join([weasyprint_version, _stylesheet_digest(), page_css, html])
    return "handout-pdf:" + hashlib.sha256(made_of.encode()).hexdigest()


def handout_pdf(program: Program, request=None) -> bytes:
    context = handout_context(request, program)
    for item in context["items"]:
        item.pictures = _pictures(item.exercise)
    context["paper"] = PAPER_SIZES.get(program.clinic.handout_paper, "A4")
    html = render_to_string("programs/handout_pdf.html", context)
    page_css = _page_css(context["paper"])
    key = _pdf_cache_key(html, page_css)
    pdf = cache.get(key)
    if pdf is None:
        page = CSS(string=page_css, url_fetcher=LocalFetcher())
        stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=LocalFetcher())
        pdf = HTML(string=html, base_url="/", url_fetcher=LocalFetcher()).write_pdf(
            stylesheets=[stylesheet, page]
        )
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def handout_filename(program: Program) -> str:
    return _("handout-%(pk)s.pdf") % {"pk": program.pk}


def handout_email_check(program: Program) -> None:
    """The handout can be e-mailed only to a patient with an e-mail address."""
    if not program.patient.email:
        raise ValidationError(
            _("%(name)s has no e-mail address: add one on the patient's page first.")
            % {"name": program.patient.full_name}
        )


def handout_email_send(program_id: int) -> bool:
    """Send the PDF handout to the patient (run by the worker). False when there is nothing to
    send: the program is gone or the patient has no e-mail address."""
    program = (
        Program.objects.select_related("clinic", "patient", "therapist")
        .filter(pk=program_id)
        .first()
    )
    if program is None or not program.patient.email:
        return False
    body = render_to_string(
        "programs/email/handout.txt", {"program": program, "patient": program.patient}
    )
    message = EmailMessage(
        subject=_("Your exercise handout from %(clinic)s") % {"clinic": program.clinic.name},
        body=body,
        to=[program.patient.email],
    )
    message.attach(handout_filename(program), handout_pdf(program), "application/pdf")
    message.send()
    return True
