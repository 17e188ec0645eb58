from django.core.management import call_command

from exercises.library import library_templates
from programs.models import ProgramTemplate
from programs.services import program_create


def load_all():
    call_command("load_library", verbosity=0)
    call_command("load_program_templates", verbosity=0)


def test_the_hamstring_template_uses_the_easiest_step_of_each_series(db):
    load_all()

    template = ProgramTemplate.objects.get(clinic__isnull=True, slug="hamstring-strengthening")
    slugs = list(template.items.order_by("position").values_list("exercise__slug", flat=True))

    assert slugs[0] == "bridge"
    assert "prone-hamstring-curl" in slugs
    assert "standing-hamstring-curl-with-support" in slugs
    assert "chair-squat" in slugs and "modified-lunge" in slugs
    assert all(item.sets >= 1 and item.reps >= 1 for item in template.items.all())


def test_a_second_load_changes_nothing_and_an_edit_is_restored(db):
    load_all()
    template = ProgramTemplate.objects.get(slug="hamstring-strengthening")
    stamp = template.updated_at
    item_ids = set(template.items.values_list("pk", flat=True))

    call_command("load_program_templates", verbosity=0)
    template.refresh_from_db()
    assert template.updated_at == stamp
    assert set(template.items.values_list("pk", flat=True)) == item_ids

    template.items.filter(position=1).update(reps=99)
    call_command("load_program_templates", verbosity=0)
    wanted = library_templates()[0]["items"][0]["reps"]
    assert template.items.get(position=1).reps == wanted


def test_clinic_templates_are_never_touched(db, clinic):
    mine = ProgramTemplate.objects.create(
        clinic=clinic, name="Mine", slug="hamstring-strengthening"
    )

    load_all()

    mine.refresh_from_db()
    assert mine.name == "Mine" and mine.items.count() == 0


def test_every_clinic_can_start_from_the_shared_template(clinic, patient, therapist):
    load_all()
    template = ProgramTemplate.objects.get(slug="hamstring-strengthening")

    program = program_create(
        clinic=clinic,
        patient=patient,
        therapist=therapist,
        title=template.name,
        start_date=clinic.today(),
        template=template,
    )

    assert program.items.count() == template.items.count()
