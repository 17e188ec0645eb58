"""History stays history: a completed program and a replaced or removed item no longer change,
on the web and in the API alike; a completed program carries on as a copy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import services
from programs.models import Program, ProgramItem, ProgramStatus
from tests.factories import ExerciseLogFactory, ProgramFactory, ProgramItemFactory

READ_ONLY = "This program is completed and can no longer change"
HISTORY = "already replaced or removed"


@pytest.fixture
def completed(clinic, patient, therapist):
    program = ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.ACTIVE
    )
    item = ProgramItemFactory(program=program, position=1, sets=3, reps=10)
    ExerciseLogFactory(program_item=item, performed_on=clinic.today())
    services.program_status_change(program=program, status=ProgramStatus.COMPLETED)
    return program


@pytest.fixture
def retired(clinic, patient, therapist):
    """A logged item that was re-dosed: the old row is retired, a new one replaces it."""
    program = ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.ACTIVE
    )
    item = ProgramItemFactory(program=program, position=1, sets=3, reps=10)
    ExerciseLogFactory(program_item=item, performed_on=clinic.today())
    successor = services.program_item_update(item=item, reps=12)
    item.refresh_from_db()
    return item, successor


class TestRetiredItems:
    def test_removing_a_retired_item_is_refused_and_keeps_its_history(self, retired):
        item, successor = retired
        retired_at = item.retired_at

        with pytest.raises(ValidationError, match=HISTORY):
            services.program_item_remove(item=item)

        item.refresh_from_db()
        successor.refresh_from_db()
        assert item.retired_at == retired_at
        assert successor.replaces_id == item.pk

    def test_editing_a_retired_item_is_refused(self, retired):
        item, _successor = retired
        with pytest.raises(ValidationError, match=HISTORY):
            services.program_item_update(item=item, reps=20)
        item.refresh_from_db()
        assert item.reps == 10

    def test_the_web_says_so_and_changes_nothing(self, client_for, therapist, retired):
        item, _successor = retired
        client = client_for(therapist)

        response = client.post(reverse("program_item_remove", args=[item.pk]), follow=True)

        assert HISTORY in response.content.decode()
        assert ProgramItem.objects.filter(pk=item.pk, retired_at=item.retired_at).exists()

    def test_the_api_answers_400_and_changes_nothing(self, api_for, therapist, retired):
        item, _successor = retired
        url = f"/api/v1/programs/{item.program_id}/items/{item.pk}/"

        response = api_for(therapist).delete(url)

        assert response.status_code == 400
        assert HISTORY in str(response.json())
        assert ProgramItem.objects.filter(pk=item.pk, retired_at=item.retired_at).exists()


class TestCompletedPrograms:
    @pytest.mark.parametrize(
        "change",
        [
            lambda program: services.program_update(program=program, max_pain=8),
            lambda program: services.program_item_add(
                program=program, exercise=program.items.get().exercise
            ),
            lambda program: services.program_item_update(item=program.items.get(), reps=20),
            lambda program: services.program_item_remove(item=program.items.get()),
            lambda program: services.program_item_move(item=program.items.get(), direction="down"),
        ],
        ids=["schedule", "add", "dosage", "remove", "move"],
    )
    def test_no_service_changes_it(self, completed, change):
        with pytest.raises(ValidationError, match=READ_ONLY):
            change(completed)

        completed.refresh_from_db()
        assert completed.max_pain == 5
        assert list(completed.items.values_list("reps", "retired_at")) == [(10, None)]

    def test_the_builder_shows_no_editing_and_offers_a_copy(self, client_for, therapist, completed):
        html = client_for(therapist).get(reverse("program_detail", args=[completed.pk]))
        html = html.content.decode()

        assert "Copy into a new program" in html
        assert reverse("program_edit", args=[completed.pk]) not in html
        assert "Edit dosage" not in html

    def test_the_edit_page_sends_back_with_a_message(self, client_for, therapist, completed):
        response = client_for(therapist).post(
            reverse("program_edit", args=[completed.pk]),
            {"title": "Changed", "start_date": "2026-01-01", "weekdays": [0], "max_pain": 9},
            follow=True,
        )

        assert READ_ONLY in response.content.decode()
        completed.refresh_from_db()
        assert completed.max_pain == 5 and completed.title != "Changed"

    def test_the_api_refuses_changes_with_the_same_message(self, api_for, therapist, completed):
        client = api_for(therapist)
        item = completed.items.get()

        patched = client.patch(f"/api/v1/programs/{completed.pk}/", {"max_pain": 8}, format="json")
        dosed = client.patch(
            f"/api/v1/programs/{completed.pk}/items/{item.pk}/", {"reps": 20}, format="json"
        )

        assert patched.status_code == dosed.status_code == 400
        assert READ_ONLY in str(patched.json()) and READ_ONLY in str(dosed.json())

    def test_copying_starts_a_draft_with_the_same_exercises(self, client_for, therapist, completed):
        response = client_for(therapist).post(reverse("program_copy", args=[completed.pk]))

        copy = Program.objects.exclude(pk=completed.pk).get()
        assert response.status_code == 302 and response.url == copy.get_absolute_url()
        assert copy.status == ProgramStatus.DRAFT and copy.patient == completed.patient
        assert [(i.exercise_id, i.reps) for i in copy.items.all()] == [
            (i.exercise_id, i.reps) for i in completed.items.all()
        ]
        assert copy.items.get().clinic_id == completed.clinic_id

    def test_the_api_copies_too(self, api_for, therapist, completed):
        response = api_for(therapist).post(f"/api/v1/programs/{completed.pk}/copy/")

        assert response.status_code == 201
        assert response.json()["status"] == "draft"
        assert len(response.json()["items"]) == 1
