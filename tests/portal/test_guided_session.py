"""The guided session without JavaScript: the overview, one page per exercise with its quick
log, the summary. Logging twice records one log; another patient's item answers 404; bad
input gets a clear message."""

import json

import pytest
from django.urls import reverse

from exercises.library import LIBRARY_DIR
from programs.models import ExerciseLog, ProgramItem

pytestmark = pytest.mark.django_db


def step_url(step, session=1):
    return reverse("portal_session_step", args=[session, step])


def log(client, item, step, **values):
    return client.post(step_url(step), {"item": item.pk, **values})


class TestStart:
    def test_today_links_to_the_session(self, paula_client, item):
        html = paula_client.get(reverse("portal_home")).content.decode()
        assert "Start today&#x27;s session" in html or "Start today's session" in html
        assert reverse("portal_session") in html

    def test_lists_what_is_due_and_begins_at_the_first(self, paula_client, item, second_item):
        html = paula_client.get(reverse("portal_session")).content.decode()
        assert "2 exercises" in html
        assert "Bridge" in html
        assert "Prone hamstring curl" in html
        assert f'href="{step_url(1)}"' in html

    def test_begins_at_the_first_not_done(self, paula_client, patient, item, second_item, today):
        ExerciseLog.objects.create(
            program_item=item, clinic=patient.clinic, patient=patient, performed_on=today
        )
        html = paula_client.get(reverse("portal_session")).content.decode()
        assert f'href="{step_url(2)}"' in html

    def test_nothing_due_is_a_clear_empty_state(self, paula_client):
        response = paula_client.get(reverse("portal_session"))
        assert response.status_code == 200
        assert "has not given you a home program yet" in response.content.decode()
        assert "Start today" not in paula_client.get(reverse("portal_home")).content.decode()

    def test_a_rest_day_says_so(self, paula_client, item, active_program, today):
        active_program.weekdays = 0b1111111 & ~(1 << today.weekday())
        active_program.save()
        html = paula_client.get(reverse("portal_session")).content.decode()
        assert "rest day" in html
        assert "Begin" not in html

    def test_all_done_says_so(self, paula_client, patient, item, today):
        ExerciseLog.objects.create(
            program_item=item, clinic=patient.clinic, patient=patient, performed_on=today
        )
        html = paula_client.get(reverse("portal_session")).content.decode()
        assert "All done for today" in html


class TestStep:
    def test_shows_picture_dosage_sets_hold_and_rest_as_text(self, paula_client, item):
        ProgramItem.objects.filter(pk=item.pk).update(hold_seconds=5)
        html = paula_client.get(step_url(1)).content.decode()
        assert "Exercise 1 of 1" in html
        assert "3 sets of 10, hold 5 seconds" in html
        assert html.count("hold each for 5 seconds") == 3
        assert html.count("Then rest for 30 seconds") == 2
        assert 'aria-live="polite"' in html
        assert "guided-session.js" in html
        assert "<script>" not in html and "style=" not in html

    def test_shows_the_animation_and_the_frames_when_illustrated(self, paula_client, item, bridge):
        library = json.loads((LIBRARY_DIR / "hamstring.json").read_text(encoding="utf-8"))
        bridge.poses = next(e["poses"] for e in library["exercises"] if e["slug"] == "bridge")
        bridge.save()
        html = paula_client.get(step_url(1)).content.decode()
        assert reverse("portal_item_illustration", args=[item.pk, "animated"]) in html
        assert reverse("portal_item_illustration", args=[item.pk, "start"]) in html

    def test_a_step_out_of_range_is_404(self, paula_client, item):
        assert paula_client.get(step_url(2)).status_code == 404
        assert paula_client.get(step_url(1, session=2)).status_code == 404
        assert paula_client.get(step_url(0)).status_code == 404

    def test_the_log_goes_on_to_the_next_step_then_the_summary(
        self, paula_client, item, second_item, today
    ):
        response = log(paula_client, item, 1, pain="2", difficulty="easy")
        assert response.status_code == 302
        assert response.url == step_url(2)
        response = log(paula_client, second_item, 2, pain="4", difficulty="hard")
        assert response.url == reverse("portal_session_done", args=[1])
        first = ExerciseLog.objects.get(program_item=item, performed_on=today)
        assert (first.completed, first.pain, first.difficulty) == (True, 2, "easy")
        assert (first.sets_done, first.reps_done) == (3, 10)
        html = paula_client.get(response.url).content.decode()
        assert "You did every exercise" in html
        assert "pain 2 of 10" in html and "pain 4 of 10" in html

    def test_posting_twice_records_one_log(self, paula_client, item, today):
        log(paula_client, item, 1, pain="3")
        log(paula_client, item, 1, pain="5", difficulty="about_right")
        logs = ExerciseLog.objects.filter(program_item=item, performed_on=today)
        assert logs.count() == 1
        assert logs.get().pain == 5

    def test_pain_and_difficulty_are_optional(self, paula_client, item, today):
        assert log(paula_client, item, 1).status_code == 302
        assert ExerciseLog.objects.get(program_item=item).pain is None

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"pain": "11"}, "Choose a number from 0 to 10."),
            ({"pain": "x"}, "Choose a number from 0 to 10."),
            ({"difficulty": "brutal"}, "Choose easy, about right or hard."),
        ],
    )
    def test_bad_input_gets_a_clear_message(self, paula_client, item, values, message):
        response = log(paula_client, item, 1, **values)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_a_missing_item_gets_a_message(self, paula_client, item):
        response = paula_client.post(step_url(1), {"pain": "2"})
        assert response.status_code == 400
        assert "Please correct the following" in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_another_patients_item_is_404(self, paula_client, item, other_patient_item):
        response = log(paula_client, other_patient_item, 1, pain="2")
        assert response.status_code == 404
        assert not ExerciseLog.objects.exists()

    def test_another_of_her_items_gets_a_message(self, paula_client, item, second_item):
        response = log(paula_client, second_item, 1, pain="2")
        assert response.status_code == 400
        assert "Your list of exercises changed" in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_skip_goes_on_without_logging(self, paula_client, item, second_item):
        html = paula_client.get(step_url(1)).content.decode()
        assert f'href="{step_url(2)}"' in html


class TestSummary:
    def test_lists_what_is_left(self, paula_client, item, second_item):
        log(paula_client, item, 1, pain="1")
        html = paula_client.get(reverse("portal_session_done", args=[1])).content.decode()
        assert "You logged 1 of 2 exercises" in html
        assert "not done yet" in html
        assert f'href="{step_url(2)}"' in html

    def test_no_session_is_404(self, paula_client):
        assert paula_client.get(reverse("portal_session_done", args=[1])).status_code == 404

    def test_signed_out_cannot_enter(self, client, item):
        response = client.get(reverse("portal_session"))
        assert response.status_code == 302
