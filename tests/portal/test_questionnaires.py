"""The patient's questionnaires: due on Today, one question per page without JavaScript,
progress kept, review, send; PSFS-style activities named once; not due, stopped and another
patient's questionnaires."""

import datetime

import pytest

from programs.measures import services
from programs.measures.models import MeasureResponse
from tests.factories import (
    InstrumentFactory,
    MeasureAssignmentFactory,
    test_activity_definition,
)


@pytest.fixture
def assignment(patient):
    return MeasureAssignmentFactory(patient=patient, every_weeks=4)


def _url(assignment, step=None):
    base = f"/portal/questionnaires/{assignment.pk}/"
    return base if step is None else f"{base}?step={step}"


def test_today_shows_the_questionnaire_due(paula_client, assignment):
    page = paula_client.get("/portal/").content.decode()

    assert "Questionnaire due" in page
    assert f'href="/portal/questionnaires/{assignment.pk}/"' in page


def test_today_does_not_show_one_not_yet_due(paula_client, patient):
    MeasureAssignmentFactory(
        patient=patient, next_due_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    assert "Questionnaire due" not in paula_client.get("/portal/").content.decode()


def test_answer_page_by_page_review_and_send(paula_client, assignment, patient):
    first = paula_client.get(_url(assignment))
    assert first.status_code == 302 and first["Location"].endswith("?step=1")

    page = paula_client.get(_url(assignment, 1)).content.decode()
    assert "Question 1 of 3" in page and "<fieldset" in page and "<legend" in page

    paula_client.post(_url(assignment, 1), {"answer": "1", "action": "next"})
    skipped = paula_client.post(_url(assignment, 2), {"action": "skip"})
    assert skipped["Location"].endswith("?step=3")

    # Stopping halfway: the next visit resumes at the first unanswered question.
    assert paula_client.get(_url(assignment))["Location"].endswith("?step=2")
    last = paula_client.post(_url(assignment, 3), {"answer": "3", "action": "next"})
    assert last["Location"] == f"/portal/questionnaires/{assignment.pk}/review/"

    review = paula_client.get(last["Location"]).content.decode()
    assert "Not answered" in review and "Send my answers" in review
    sent = paula_client.post(last["Location"])
    assert sent.status_code == 302 and sent["Location"] == "/portal/"

    response = MeasureResponse.objects.get()
    assert response.submitted_at and response.score == 6  # (1 + 3) prorated to 3 items
    assert "Questionnaire due" not in paula_client.get("/portal/").content.decode()


@pytest.mark.parametrize("answer", ["7", "-1", "x", ""])
def test_bad_answers_get_a_message_and_save_nothing(paula_client, assignment, answer):
    response = paula_client.post(_url(assignment, 1), {"answer": answer, "action": "next"})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert MeasureResponse.objects.get().answers == {}


@pytest.mark.parametrize("step", ["99", "-1", "abc"])
def test_a_step_out_of_range_resumes_instead(paula_client, assignment, step):
    assert paula_client.get(_url(assignment, step)).status_code == 302


def test_activities_are_named_first_then_rated(paula_client, patient, clinic):
    definition = test_activity_definition()
    instrument = InstrumentFactory(clinic=clinic, slug=definition["slug"], definition=definition)
    assignment = MeasureAssignmentFactory(patient=patient, instrument=instrument)

    assert paula_client.get(_url(assignment))["Location"].endswith("?step=0")
    too_few = paula_client.post(_url(assignment, 0), {"activity_1": "Stairs"})
    assert too_few.status_code == 400 and "Name between 2 and 3" in too_few.content.decode()

    paula_client.post(_url(assignment, 0), {"activity_1": "Stairs", "activity_2": "Kneeling"})
    page = paula_client.get(_url(assignment, 1)).content.decode()
    assert "How well can you do this: Stairs?" in page
    paula_client.post(_url(assignment, 1), {"answer": "4", "action": "next"})
    paula_client.post(_url(assignment, 2), {"answer": "6", "action": "next"})
    paula_client.post(f"/portal/questionnaires/{assignment.pk}/review/")

    assert MeasureResponse.objects.get().score == 5


def test_not_due_redirects_home_with_the_reason(paula_client, patient):
    later = MeasureAssignmentFactory(
        patient=patient, next_due_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    response = paula_client.get(_url(later), follow=True)
    assert "not yet" in response.content.decode()
    assert not MeasureResponse.objects.exists()


def test_a_stopped_questionnaire_is_gone(paula_client, assignment):
    services.assignment_stop(assignment=assignment)
    assert paula_client.get(_url(assignment, 1)).status_code == 404


def test_another_patients_questionnaire_is_404(paula_client, other_patient):
    theirs = MeasureAssignmentFactory(patient=other_patient)
    assert paula_client.get(_url(theirs, 1)).status_code == 404
    assert paula_client.post(f"/portal/questionnaires/{theirs.pk}/review/").status_code == 404
    assert not MeasureResponse.objects.exists()


def test_today_stays_bounded_with_questionnaires(
    paula_client, patient, django_assert_max_num_queries
):
    for _ in range(4):
        MeasureAssignmentFactory(patient=patient)
    paula_client.get("/portal/")
    with django_assert_max_num_queries(30):
        paula_client.get("/portal/")
