"""Portal pages over HTTP: today, check-off (plain POST and htmx), the exercise page and its
log form, missed days, undo, images, history; another patient's item answers 404."""

import datetime

import pytest
from django.urls import reverse

from exercises.models import Equipment
from programs.models import ExerciseLog, ProgramItem
from tests.factories import image_upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def check(client, item, day, session=1, **extra):
    return client.post(
        reverse("portal_check", args=[item.pk]),
        {"day": day.isoformat(), "session": session},
        **extra,
    )


class TestToday:
    def test_shows_name_dosage_notes_and_a_check_off_button(
        self, paula_client, item, active_program
    ):
        ProgramItem.objects.filter(pk=item.pk).update(
            side="left", hold_seconds=5, notes="Go slowly."
        )
        active_program.notes = "Warm up first."
        active_program.save()
        html = paula_client.get(reverse("portal_home")).content.decode()
        assert "Bridge" in html
        assert "3 sets of 10, hold 5 seconds, left side" in html
        assert "Go slowly." in html
        assert "Warm up first." in html
        assert "Mark as done" in html
        assert "0 of 1 done" in html

    def test_shows_the_image_with_its_description(self, paula_client, item, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        item.exercise.image = image_upload("bridge.png")
        item.exercise.image_alt = "Lying on the back, hips lifted"
        item.exercise.save()
        html = paula_client.get(reverse("portal_home")).content.decode()
        assert reverse("portal_item_image", args=[item.pk]) in html
        assert 'alt="Lying on the back, hips lifted"' in html

    def test_no_program_yet_is_a_friendly_empty_state(self, paula_client):
        html = paula_client.get(reverse("portal_home")).content.decode()
        assert "has not given you a home program yet" in html

    def test_a_rest_day_says_so(self, paula_client, item, active_program, today):
        active_program.weekdays = 0b1111111 & ~(1 << today.weekday())
        active_program.save()
        html = paula_client.get(reverse("portal_home")).content.decode()
        assert "rest day" in html
        assert "Mark as done" not in html

    def test_done_items_show_as_done(self, paula_client, patient, item, today):
        ExerciseLog.objects.create(
            program_item=item, clinic=patient.clinic, patient=patient, performed_on=today, pain=3
        )
        html = paula_client.get(reverse("portal_home")).content.decode()
        assert "entry--done" in html
        assert "pain 3 of 10" in html
        assert "All done for today" in html


class TestCheckOff:
    def test_a_plain_post_logs_and_redirects_back(self, paula_client, item, today):
        response = check(paula_client, item, today)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('portal_home')}#entry-{item.pk}-1"
        log = ExerciseLog.objects.get()
        assert (log.performed_on, log.sets_done, log.reps_done, log.completed) == (
            today,
            3,
            10,
            True,
        )

    def test_double_post_is_one_log(self, paula_client, item, today):
        check(paula_client, item, today)
        check(paula_client, item, today)
        assert ExerciseLog.objects.count() == 1

    def test_htmx_answers_with_the_done_entry_and_the_progress(
        self, paula_client, item, second_item, today
    ):
        response = check(paula_client, item, today, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'id="entry-{item.pk}-1"' in html
        assert "entry--done" in html
        assert "Undo" in html
        assert 'id="day-progress"' in html and "1 of 2 done" in html
        assert 'hx-swap-oob="innerHTML">Bridge: done. Well done!' in html
        assert "<html" not in html
        assert ExerciseLog.objects.count() == 1

    def test_htmx_error_is_a_400_partial_with_the_message(self, paula_client, item, today):
        tomorrow = today + datetime.timedelta(days=1)
        response = check(paula_client, item, tomorrow, **HTMX)
        assert response.status_code == 400
        assert "has not come yet" in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_a_plain_post_error_is_a_message(self, paula_client, item, today):
        response = check(paula_client, item, today - datetime.timedelta(days=8), follow=True)
        assert "too long ago" in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_get_is_not_allowed(self, paula_client, item):
        assert paula_client.get(reverse("portal_check", args=[item.pk])).status_code == 405

    def test_undo_today(self, paula_client, item, today):
        check(paula_client, item, today)
        response = paula_client.post(
            reverse("portal_undo", args=[item.pk]), {"day": today.isoformat(), "session": 1}, **HTMX
        )
        assert response.status_code == 200
        assert "Mark as done" in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_undo_yesterday_is_refused(self, paula_client, patient, item, today):
        yesterday = today - datetime.timedelta(days=1)
        ExerciseLog.objects.create(
            program_item=item, clinic=patient.clinic, patient=patient, performed_on=yesterday
        )
        response = paula_client.post(
            reverse("portal_undo", args=[item.pk]),
            {"day": yesterday.isoformat(), "session": 1},
            follow=True,
        )
        assert "Only today" in response.content.decode()
        assert ExerciseLog.objects.count() == 1


class TestAnotherPatientsItem:
    """peter's item, asked for by paula: 404 everywhere, nothing written."""

    @pytest.mark.parametrize("url_name", ["portal_exercise", "portal_item_image"])
    def test_pages_404(self, paula_client, other_patient_item, url_name):
        assert paula_client.get(reverse(url_name, args=[other_patient_item.pk])).status_code == 404

    @pytest.mark.parametrize("url_name", ["portal_check", "portal_undo", "portal_exercise"])
    def test_posts_404(self, paula_client, other_patient_item, today, url_name):
        response = paula_client.post(
            reverse(url_name, args=[other_patient_item.pk]),
            {"day": today.isoformat(), "session": 1, "completed": "on"},
        )
        assert response.status_code == 404
        assert not ExerciseLog.objects.exists()

    def test_an_item_of_another_clinic_404s(self, paula_client, other_clinic_therapist):
        from tests.factories import ProgramFactory, ProgramItemFactory

        program = ProgramFactory(
            clinic=other_clinic_therapist.clinic, therapist=other_clinic_therapist
        )
        theirs = ProgramItemFactory(program=program)
        assert paula_client.get(reverse("portal_exercise", args=[theirs.pk])).status_code == 404

    def test_an_item_of_a_paused_program_404s(self, paula_client, item, active_program):
        active_program.status = "paused"
        active_program.save()
        assert paula_client.get(reverse("portal_exercise", args=[item.pk])).status_code == 404


class TestExercisePage:
    def test_shows_everything_the_patient_needs(self, paula_client, item, affiliate_disclaimer):
        exercise = item.exercise
        exercise.video_url = "https://video.example/bridge"
        exercise.instructions = ["Lie down.", "Lift.", "Lower slowly."]
        exercise.cues = ["Keep your knees over your feet."]
        exercise.save()
        mat = Equipment.objects.create(
            name="Exercise mat", slug="mat", purchase_url="https://shop.example/mat"
        )
        exercise.equipment.add(mat)
        ProgramItem.objects.filter(pk=item.pk).update(notes="Only to where it is comfortable.")
        html = paula_client.get(reverse("portal_exercise", args=[item.pk])).content.decode()
        for text in [
            "Lie down.",
            "Lower slowly.",
            "Keep your knees over your feet.",
            "https://video.example/bridge",
            "Exercise mat",
            "https://shop.example/mat",
            "Some links may earn a commission.",
            "Only to where it is comfortable.",
            "3 sets of 10",
        ]:
            assert text in html, text

    def test_no_affiliate_note_without_purchase_links(
        self, paula_client, item, affiliate_disclaimer
    ):
        item.exercise.equipment.add(Equipment.objects.create(name="Chair", slug="chair"))
        html = paula_client.get(reverse("portal_exercise", args=[item.pk])).content.decode()
        assert "Chair" in html
        assert "Some links may earn a commission." not in html

    def test_the_form_is_prefilled_from_the_prescription(self, paula_client, item):
        html = paula_client.get(reverse("portal_exercise", args=[item.pk])).content.decode()
        assert 'name="sets_done" value="3"' in html
        assert 'name="reps_done" value="10"' in html
        assert 'name="completed" id="id_completed" checked' in html

    def test_one_tap_saves_the_prescription(self, paula_client, item, today):
        response = paula_client.post(
            reverse("portal_exercise", args=[item.pk]),
            {
                "day": today.isoformat(),
                "session": 1,
                "completed": "on",
                "sets_done": 3,
                "reps_done": 10,
            },
        )
        assert response.status_code == 302
        assert ExerciseLog.objects.get().sets_done == 3

    def test_the_full_log(self, paula_client, item, today):
        response = paula_client.post(
            reverse("portal_exercise", args=[item.pk]),
            {
                "day": today.isoformat(),
                "session": 1,
                "completed": "on",
                "sets_done": 2,
                "reps_done": 8,
                "pain": 3,
                "difficulty": "hard",
                "note": "Left knee clicked.",
            },
        )
        assert response.status_code == 302
        log = ExerciseLog.objects.get()
        assert (log.sets_done, log.reps_done, log.pain, log.difficulty, log.note) == (
            2,
            8,
            3,
            "hard",
            "Left knee clicked.",
        )
        html = paula_client.get(reverse("portal_exercise", args=[item.pk])).content.decode()
        assert 'value="3" class="choice-grid" id="id_pain_3" checked' in html

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("pain", "11", "Select a valid choice"),
            ("reps_done", "-1", "greater than or equal to 0"),
            ("sets_done", "abc", "Enter a whole number"),
            ("difficulty", "extreme", "Select a valid choice"),
        ],
    )
    def test_bad_input_is_a_400_with_the_message(
        self, paula_client, item, today, field, value, message
    ):
        data = {
            "day": today.isoformat(),
            "session": 1,
            "completed": "on",
            "sets_done": 3,
            "reps_done": 10,
        }
        data[field] = value
        response = paula_client.post(reverse("portal_exercise", args=[item.pk]), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Please correct the following" in response.content.decode()
        assert not ExerciseLog.objects.exists()

    def test_a_future_day_is_a_400_with_the_message(self, paula_client, item, today):
        tomorrow = (today + datetime.timedelta(days=1)).isoformat()
        response = paula_client.post(
            reverse("portal_exercise", args=[item.pk]),
            {"day": tomorrow, "session": 1, "completed": "on"},
        )
        assert response.status_code == 400
        assert "has not come yet" in response.content.decode()

    def test_a_retired_item_shows_but_cannot_be_logged(self, paula_client, item, today):
        from django.utils import timezone

        ProgramItem.objects.filter(pk=item.pk).update(retired_at=timezone.now())
        assert (
            "has replaced this exercise"
            in paula_client.get(reverse("portal_exercise", args=[item.pk])).content.decode()
        )
        response = paula_client.post(
            reverse("portal_exercise", args=[item.pk]),
            {"day": today.isoformat(), "session": 1, "completed": "on"},
        )
        assert response.status_code == 400
        assert not ExerciseLog.objects.exists()


class TestMissedDays:
    def test_the_list_offers_the_last_seven_days(self, paula_client, item, today):
        html = paula_client.get(reverse("portal_missed_days")).content.decode()
        for n in range(1, 8):
            day = (today - datetime.timedelta(days=n)).isoformat()
            assert reverse("portal_day", args=[day]) in html
        eighth = (today - datetime.timedelta(days=8)).isoformat()
        assert reverse("portal_day", args=[eighth]) not in html

    def test_a_past_day_can_be_checked_off(self, paula_client, item, today):
        day = today - datetime.timedelta(days=3)
        page = paula_client.get(reverse("portal_day", args=[day.isoformat()]))
        assert page.status_code == 200
        assert "Mark as done" in page.content.decode()
        response = check(paula_client, item, day)
        assert response["Location"].startswith(reverse("portal_day", args=[day.isoformat()]))
        assert ExerciseLog.objects.get().performed_on == day

    @pytest.mark.parametrize("offset", [8, -1])
    def test_days_outside_the_week_go_back_to_the_list(self, paula_client, item, today, offset):
        day = (today - datetime.timedelta(days=offset)).isoformat()
        response = paula_client.get(reverse("portal_day", args=[day]))
        assert response.status_code == 302
        assert response["Location"] == reverse("portal_missed_days")

    def test_today_goes_to_the_today_page(self, paula_client, today):
        response = paula_client.get(reverse("portal_day", args=[today.isoformat()]))
        assert response["Location"] == reverse("portal_home")

    def test_a_bad_date_is_404(self, paula_client):
        assert paula_client.get(reverse("portal_day", args=["2026-02-31"])).status_code == 404


class TestImage:
    def test_the_patient_gets_their_exercise_image(self, paula_client, item, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        item.exercise.image = image_upload("bridge.png")
        item.exercise.save()
        response = paula_client.get(reverse("portal_item_image", args=[item.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=3600"

    def test_no_image_is_404(self, paula_client, item):
        assert paula_client.get(reverse("portal_item_image", args=[item.pk])).status_code == 404


class TestHistory:
    def test_shows_adherence_streak_and_days(self, paula_client, patient, item, today):
        for n in range(0, 3):
            ExerciseLog.objects.create(
                program_item=item,
                clinic=patient.clinic,
                patient=patient,
                performed_on=today - datetime.timedelta(days=n),
            )
        html = paula_client.get(reverse("portal_history")).content.decode()
        assert "Last 7 days: 3 of 7 exercises done (43%)" in html
        assert "Last 30 days: 3 of 30 exercises done (10%)" in html
        assert '<strong class="streak__number">3</strong> exercise days in a row' in html
        assert "This week" in html
        assert "Not logged" in html


def test_missed_days_before_the_program_started_are_not_offered(
    paula_client, item, active_program, today
):
    active_program.start_date = today
    active_program.save()
    html = paula_client.get(reverse("portal_missed_days")).content.decode()
    assert "no earlier days of your program to log yet" in html
    assert (
        reverse("portal_day", args=[(today - datetime.timedelta(days=1)).isoformat()]) not in html
    )
