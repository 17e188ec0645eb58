import datetime

import pytest
from django.urls import reverse

from programs.models import Program, ProgramItem, ProgramStatus, ProgramTemplate
from programs.services import program_template_create_from_program
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PatientFactory,
    ProgramFactory,
    ProgramItemFactory,
)


def create_form(**overrides):
    data = {
        "title": "Hamstrings at home",
        "start_date": "2026-11-26",
        "weekdays": ["0", "2", "4"],
        "sessions_per_day": "1",
        "max_pain": "5",
        "notes": "",
        "template": "",
    }
    return {**data, **overrides}


def test_build_a_program_from_scratch(client_for, therapist, patient, bridge_series):
    _, (bridge, single, _ball) = bridge_series
    client = client_for(therapist)

    response = client.post(reverse("program_create", args=[patient.pk]), create_form())
    program = Program.objects.get()
    assert response.url == program.get_absolute_url()
    assert program.weekdays == 0b10101
    assert program.schedule_text == "Monday, Wednesday, Friday"

    found = client.get(program.get_absolute_url(), {"q": "bridge"}).content.decode()
    assert "Single-leg bridge" in found
    client.post(reverse("program_item_add", args=[program.pk]), {"exercise": bridge.pk})
    item = program.items.get()
    assert (item.sets, item.reps) == (bridge.default_sets, bridge.default_reps)

    client.post(
        reverse("program_item_edit", args=[item.pk]),
        {"sets": "3", "reps": "12", "side": "both", "hold_seconds": "5"},
    )
    item.refresh_from_db()
    assert (item.sets, item.reps, item.hold_seconds) == (3, 12, 5)

    client.post(reverse("program_status", args=[program.pk]), {"status": "active"})
    program.refresh_from_db()
    assert program.status == ProgramStatus.ACTIVE

    confirm = client.get(reverse("program_item_next", args=[item.pk])).content.decode()
    assert "Single-leg bridge" in confirm and "15 easy reps on 3 days in a row" in confirm
    client.post(reverse("program_item_next", args=[item.pk]))
    current = program.items.current().get()
    assert current.exercise == single and current.sets == 3

    page = client.get(program.get_absolute_url()).content.decode()
    assert "History: earlier prescriptions" in page
    assert "Regress to Bridge" in page


def test_start_from_a_template(client_for, therapist, patient, clinic):
    source = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    ProgramItemFactory(program=source, sets=3, reps=15)
    template = program_template_create_from_program(
        program=source, name="Phase 1", created_by=therapist
    )
    client = client_for(therapist)

    client.post(
        reverse("program_create", args=[patient.pk]), create_form(template=str(template.pk))
    )

    program = Program.objects.exclude(pk=source.pk).get()
    assert list(program.items.values_list("sets", "reps")) == [(3, 15)]


def test_templates_page_lists_the_clinics_and_shared_templates(client_for, therapist, clinic):
    ProgramTemplate.objects.create(clinic=None, name="Shared one", slug="shared-one")
    ProgramTemplate.objects.create(clinic=clinic, name="Ours", slug="ours")
    ProgramTemplate.objects.create(
        clinic=PatientFactory().clinic, name="Someone else's", slug="theirs"
    )

    content = client_for(therapist).get(reverse("template_list")).content.decode()

    assert "Shared one" in content and "Ours" in content
    assert "Someone else" not in content


def test_handout_has_the_program_disclaimer_slot_and_a_qr_code(client_for, therapist, clinic):
    program = ProgramFactory(clinic=clinic, therapist=therapist)
    item = ProgramItemFactory(program=program, side="left", reps=8)
    item.exercise.image.name = "exercises/2026/11/bridge.png"
    item.exercise.image_alt = "A person lying on their back lifting the hips"
    item.exercise.save()

    response = client_for(therapist).get(reverse("program_handout", args=[program.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content and "QR code: sign-in page" in content
    assert program.patient.full_name in content
    assert clinic.name in content
    assert item.exercise.instructions[0] in content
    assert "2 sets of 8, left side" in content
    assert reverse("catalog:exercise_image", args=[item.exercise.pk]) in content
    assert "lifting the hips" in content


def test_too_many_exercises_gets_a_gentle_hint(client_for, therapist, clinic):
    program = ProgramFactory(clinic=clinic, therapist=therapist)
    ProgramItemFactory.create_batch(4, program=program)
    client = client_for(therapist)

    assert b"more than 4 exercises" not in client.get(program.get_absolute_url()).content
    ProgramItemFactory(program=program)
    assert b"more than 4 exercises" in client.get(program.get_absolute_url()).content


def test_logs_above_the_pain_limit_are_highlighted(client_for, therapist, clinic):
    program = ProgramFactory(clinic=clinic, therapist=therapist, max_pain=4)
    item = ProgramItemFactory(program=program)
    ExerciseLogFactory(program_item=item, pain=7, note="Sharp at the end")

    content = client_for(therapist).get(program.get_absolute_url()).content.decode()

    assert "row--flag" in content
    assert "above limit" in content
    assert "Sharp at the end" in content


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2026-11-01"}, "end date cannot be before the start date"),
        ({"weekdays": []}, "Choose at least one day of the week"),
        ({"weekdays": ["9"]}, "Select a valid choice"),
        ({"sessions_per_day": "0"}, "greater than or equal to 1"),
        ({"max_pain": "11"}, "less than or equal to 10"),
        ({"start_date": "not a date"}, "Enter a valid date"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_program_form_bad_input(client_for, therapist, patient, overrides, message):
    response = client_for(therapist).post(
        reverse("program_create", args=[patient.pk]), create_form(**overrides)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sets": "0", "reps": "10", "side": "both"}, "greater than or equal to 1"),
        ({"sets": "2", "reps": "", "side": "both"}, "This field is required"),
        ({"sets": "2", "reps": "10", "side": "both", "load_unit": "kg"}, "Give a weight"),
        ({"sets": "2", "reps": "-3", "side": "both"}, "greater than or equal to"),
    ],
)
def test_item_form_bad_input_keeps_the_saved_dosage(client_for, therapist, clinic, data, message):
    item = ProgramItemFactory(program=ProgramFactory(clinic=clinic), sets=2, reps=10)

    response = client_for(therapist).post(reverse("program_item_edit", args=[item.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    item.refresh_from_db()
    assert (item.sets, item.reps, item.load_unit) == (2, 10, "")


def test_activating_an_empty_program_says_why(client_for, therapist, program):
    response = client_for(therapist).post(
        reverse("program_status", args=[program.pk]), {"status": "active"}, follow=True
    )

    assert b"Add at least one exercise" in response.content
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_duplicate_template_name_is_a_form_error(client_for, therapist, program):
    program_template_create_from_program(program=program, name="Phase 1", created_by=therapist)

    response = client_for(therapist).post(
        reverse("program_save_as_template", args=[program.pk]), {"name": "Phase 1"}
    )

    assert response.status_code == 400
    assert b"already has a template" in response.content


# --- Isolation and permissions ----------------------------------------------------------------


def program_urls(program, item):
    return [
        ("get", reverse("program_detail", args=[program.pk])),
        ("get", reverse("program_edit", args=[program.pk])),
        ("post", reverse("program_edit", args=[program.pk])),
        ("post", reverse("program_status", args=[program.pk])),
        ("post", reverse("program_item_add", args=[program.pk])),
        ("get", reverse("program_handout", args=[program.pk])),
        ("get", reverse("program_save_as_template", args=[program.pk])),
        ("get", reverse("program_item_edit", args=[item.pk])),
        ("post", reverse("program_item_edit", args=[item.pk])),
        ("post", reverse("program_item_move", args=[item.pk])),
        ("post", reverse("program_item_remove", args=[item.pk])),
        ("get", reverse("program_item_next", args=[item.pk])),
        ("post", reverse("program_item_previous", args=[item.pk])),
        ("get", reverse("program_create", args=[program.patient.pk])),
    ]


def test_another_clinic_gets_404_on_every_program_page(client_for, clinic, other_clinic_therapist):
    program = ProgramFactory(clinic=clinic)
    item = ProgramItemFactory(program=program)
    client = client_for(other_clinic_therapist)

    for method, url in program_urls(program, item):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert ProgramItem.objects.filter(pk=item.pk, retired_at__isnull=True).exists()


def test_a_patient_cannot_reach_builder_pages(client_for, patient, clinic):
    program = ProgramFactory(clinic=clinic, patient=patient)
    item = ProgramItemFactory(program=program)
    client = client_for(patient.user)

    for method, url in program_urls(program, item):
        assert getattr(client, method)(url).status_code == 403, (method, url)


def test_another_clinics_exercise_id_cannot_be_posted_into_the_builder(
    client_for, therapist, program, other_clinic
):
    foreign = LibraryExerciseFactory(clinic=other_clinic)

    response = client_for(therapist).post(
        reverse("program_item_add", args=[program.pk]), {"exercise": foreign.pk}, follow=True
    )

    assert b"cannot be added" in response.content
    assert not program.items.exists()


def test_another_clinics_template_id_is_a_form_error(
    client_for, therapist, patient, other_clinic_therapist
):
    foreign_program = ProgramFactory(clinic=other_clinic_therapist.clinic)
    foreign = program_template_create_from_program(
        program=foreign_program, name="Theirs", created_by=other_clinic_therapist
    )

    response = client_for(therapist).post(
        reverse("program_create", args=[patient.pk]), create_form(template=str(foreign.pk))
    )

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert Program.objects.filter(patient=patient).count() == 0


# --- Query bounds -----------------------------------------------------------------------------


@pytest.mark.parametrize(("items", "logs"), [(1, 0), (30, 0), (1, 500), (30, 500)])
def test_program_page_runs_a_bounded_number_of_queries(
    client_for, therapist, clinic, django_assert_max_num_queries, items, logs
):
    program = ProgramFactory(clinic=clinic, therapist=therapist)
    program_items = [ProgramItemFactory(program=program) for _ in range(items)]
    start = datetime.date.today()
    for n in range(logs):
        ExerciseLogFactory(
            program_item=program_items[n % items],
            performed_on=start - datetime.timedelta(days=n // items),
        )
    client = client_for(therapist)

    with django_assert_max_num_queries(13):  # 12 + the navigation's count
        response = client.get(program.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("programs", [1, 20])
def test_patient_page_with_programs_runs_a_bounded_number_of_queries(
    client_for, therapist, patient, django_assert_max_num_queries, programs
):
    for _ in range(programs):
        item = ProgramItemFactory(program=ProgramFactory(clinic=patient.clinic, patient=patient))
        ExerciseLogFactory(program_item=item)
    client = client_for(therapist)

    # 8 + the audit event + the last reminder sent (issue 12) + the trends: the active
    # program's items and days, pain, next mornings (issue 13) + 2 for outcome measures
    # (issue 15); the same for 1 or 20 programs.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("patient_detail", args=[patient.pk]))

    assert response.status_code == 200


def test_program_edit_bad_input_keeps_the_saved_schedule(client_for, therapist, clinic):
    program = ProgramFactory(clinic=clinic, therapist=therapist, title="Kept", max_pain=5)

    response = client_for(therapist).post(
        reverse("program_edit", args=[program.pk]),
        {
            "title": "",
            "start_date": "2026-11-26",
            "end_date": "2026-11-01",
            "weekdays": [],
            "sessions_per_day": "7",
            "max_pain": "5",
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "This field is required" in content
    assert "Choose at least one day of the week" in content
    assert "less than or equal to 6" in content
    program.refresh_from_db()
    assert program.title == "Kept"


def test_program_edit_changes_the_schedule_and_keeps_logs(client_for, therapist, clinic):
    program = ProgramFactory(clinic=clinic, therapist=therapist)
    log = ExerciseLogFactory(program_item=ProgramItemFactory(program=program))

    response = client_for(therapist).post(
        reverse("program_edit", args=[program.pk]),
        {
            "title": "Renamed",
            "start_date": program.start_date.isoformat(),
            "weekdays": ["1", "3"],
            "sessions_per_day": "2",
            "max_pain": "4",
        },
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.weekdays, program.sessions_per_day) == ("Renamed", 0b1010, 2)
    assert ExerciseLogFactory._meta.model.objects.filter(pk=log.pk).exists()
