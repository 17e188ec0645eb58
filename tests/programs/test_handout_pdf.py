"""The PDF handout: served as a PDF, its pages, its text, its pictures, the clinic's paper size,
and e-mailed to the patient through the worker."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from clinic.models import AuditEvent
from exercises.models import DisclaimerKind
from exercises.selectors import disclaimer_current
from programs.handout_pdf import LocalFetcher, handout_pdf, static_path
from programs.models import ProgramTemplate
from programs.services import program_create
from tests.factories import ExerciseFactory, ProgramItemFactory

A4 = (595, 842)
LETTER = (612, 792)
HAMSTRING = "Hamstring strengthening, phase 1"


def _pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def _size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def _accent_strokes(page) -> int:
    """WeasyPrint draws the SVG pictures as vector paths in the page itself: count the paths
    painted in the pictures' accent colour (the moving limb and its arrow, #0072b2)."""
    content = page.get_contents().get_data().decode("latin-1")
    return len(re.findall(r"\b0 0\.447\d* 0\.698\d* (?:RG|rg)\b", content))


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return "\n".join(page.extract_text() for page in _pages(pdf))


@pytest.fixture
def hamstring_program(clinic, patient, therapist):
    """The shared library (with its medical disclaimer) and the 5-exercise template."""
    call_command("load_library", verbosity=0)
    call_command("load_program_templates", verbosity=0)
    template = ProgramTemplate.objects.get(clinic=None, name=HAMSTRING)
    return program_create(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        title=HAMSTRING,
        start_date=datetime.date(2026, 11, 2),
        template=template,
    )


def test_hamstring_program_fits_on_two_pages_with_pictures_and_text(
    client_for, therapist, hamstring_program, tmp_path
):
    items = list(hamstring_program.items.select_related("exercise"))
    assert len(items) == 5
    response = client_for(therapist).get(
        reverse("program_handout_pdf", args=[hamstring_program.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf)
    assert len(pages) == 2
    assert all(_size(page) == A4 for page in pages)
    # Start and end pictures for every exercise, plus the QR code.
    illustrated = sum(1 for item in items if item.exercise.is_illustrated)
    assert illustrated == 5
    assert sum(_accent_strokes(page) for page in pages) >= 2 * illustrated
    text = _text(pdf, tmp_path)
    name = hamstring_program.patient.full_name
    assert text.count(name) >= 2  # on every page
    for item in items:
        assert item.exercise.name in " ".join(text.split())
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert hamstring_program.schedule_text in " ".join(text.split())


def test_letter_paper_from_the_clinic_setting(hamstring_program):
    hamstring_program.clinic.handout_paper = "letter"
    hamstring_program.clinic.save()
    pages = _pages(handout_pdf(hamstring_program))
    assert all(_size(page) == LETTER for page in pages)


def test_disclaimer_and_sign_in_link_are_in_the_pdf(hamstring_program, tmp_path):
    disclaimer = disclaimer_current(clinic=hamstring_program.clinic, kind=DisclaimerKind.MEDICAL)
    text = " ".join(_text(handout_pdf(hamstring_program), tmp_path).split())
    assert disclaimer.title in text
    assert reverse("login") in text.replace(" ", "")


def test_view_is_audited_like_the_html_handout(client_for, therapist, active_program, item):
    client_for(therapist).get(reverse("program_handout_pdf", args=[active_program.pk]))
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "view"
    assert event.patient_id == active_program.patient_id


def test_six_exercise_program_has_two_or_three_exercises_a_page(active_program):
    for position in range(1, 7):
        ProgramItemFactory(program=active_program, position=position)
    pages = _pages(handout_pdf(active_program))
    assert len(pages) <= 3


def test_other_clinic_gets_404(client_for, other_clinic_therapist, active_program, item):
    url = reverse("program_handout_pdf", args=[active_program.pk])
    assert client_for(other_clinic_therapist).get(url).status_code == 404


def test_patient_cannot_get_the_staff_pdf(client_for, patient, active_program, item):
    url = reverse("program_handout_pdf", args=[active_program.pk])
    assert client_for(patient.user).get(url).status_code in (403, 404)


def test_fetcher_refuses_the_network_and_serves_static_files():
    fetcher = LocalFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/picture.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert static_path("/static/../settings.py") is None
    assert static_path("/static/css/handout_pdf.css") is not None


def test_email_sends_the_pdf_as_an_attachment(client_for, therapist, active_program, item):
    response = client_for(therapist).post(
        reverse("program_handout_email", args=[active_program.pk]), follow=True
    )
    assert response.status_code == 200
    assert "on its way" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [active_program.patient.email]
    ((filename, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf"
    assert filename.endswith(".pdf")
    assert content.startswith(b"%PDF")


def test_email_without_address_is_a_clear_error(client_for, therapist, active_program, item):
    active_program.patient.email = ""
    active_program.patient.save()
    response = client_for(therapist).post(
        reverse("program_handout_email", args=[active_program.pk]), follow=True
    )
    assert "has no e-mail address" in response.content.decode()
    assert mail.outbox == []


def test_email_other_clinic_gets_404(client_for, other_clinic_therapist, active_program, item):
    response = client_for(other_clinic_therapist).post(
        reverse("program_handout_email", args=[active_program.pk])
    )
    assert response.status_code == 404
    assert mail.outbox == []


def test_email_needs_post(client_for, therapist, active_program, item):
    response = client_for(therapist).get(reverse("program_handout_email", args=[active_program.pk]))
    assert response.status_code == 405


def test_unillustrated_exercise_still_prints(active_program, clinic, tmp_path):
    exercise = ExerciseFactory(clinic=clinic, poses={})
    ProgramItemFactory(program=active_program, exercise=exercise, position=1)
    pdf = handout_pdf(active_program)
    assert exercise.name in _text(pdf, tmp_path)
    assert sum(_accent_strokes(page) for page in _pages(pdf)) == 0  # no picture, no drawing


def test_clinic_admin_chooses_letter_paper(client_for, clinic_admin, clinic):
    response = client_for(clinic_admin).post(
        reverse("clinic_settings"),
        {"name": clinic.name, "timezone": clinic.timezone, "handout_paper": "letter"},
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.handout_paper == "letter"


def test_unknown_paper_size_is_a_clear_error(client_for, clinic_admin, clinic):
    response = client_for(clinic_admin).post(
        reverse("clinic_settings"),
        {"name": clinic.name, "timezone": clinic.timezone, "handout_paper": "a0"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.handout_paper == "a4"


def test_pdf_is_kept_in_the_cache_for_the_same_handout(active_program, item):
    from django.core.cache import cache

    first = handout_pdf(active_program)
    assert len(cache._cache) == 1  # locmem: the one PDF just made
    assert handout_pdf(active_program) == first


def test_editing_an_exercise_changes_the_cached_pdf(active_program, item, tmp_path):
    before = " ".join(_text(handout_pdf(active_program), tmp_path).split())
    item.exercise.name = "Renamed wall squat for the cache test"
    item.exercise.save()
    after = " ".join(_text(handout_pdf(active_program), tmp_path).split())
    assert "Renamed wall squat for the cache test" not in before
    assert "Renamed wall squat for the cache test" in after
