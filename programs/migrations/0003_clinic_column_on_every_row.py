"""Every clinic-owned row gets a direct `clinic` column, so `for_user` filters each table by
the tenant without a join. Existing rows take their parent's clinic."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# (model, path to the parent's clinic, nullable)
FILLS = [
    ("ProgramItem", ("Program", "program_id"), False),
    ("ProgramTemplateItem", ("ProgramTemplate", "template_id"), True),
    ("ExerciseLog", ("clinic.Patient", "patient_id"), False),
    ("PainCheck", ("clinic.Patient", "patient_id"), False),
    ("DisclaimerAcceptance", ("clinic.Patient", "patient_id"), False),
]


def fill_clinic(apps, schema_editor):
    for model_name, (parent_name, parent_key), _nullable in FILLS:
        model = apps.get_model("programs", model_name)
        parent = apps.get_model(*parent_name.split(".")) if "." in parent_name else apps.get_model(
            "programs", parent_name
        )
        model.objects.update(
            clinic_id=Subquery(parent.objects.filter(pk=OuterRef(parent_key)).values("clinic_id"))
        )


def clinic_field(*, null):
    return models.ForeignKey(
        blank=null,
        null=null,
        on_delete=django.db.models.deletion.CASCADE if null else django.db.models.deletion.PROTECT,
        related_name="+",
        to="clinic.clinic",
        verbose_name="clinic",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0003_clinic_slug_any_script_patient_email_message"),
        ("programs", "0002_portal_acceptance_pain_check"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=model_name.lower(), name="clinic", field=clinic_field(null=True)
            )
            for model_name, _parent, _nullable in FILLS
        ],
        migrations.RunPython(fill_clinic, migrations.RunPython.noop),
        *[
            migrations.AlterField(
                model_name=model_name.lower(), name="clinic", field=clinic_field(null=False)
            )
            for model_name, _parent, nullable in FILLS
            if not nullable
        ],
        migrations.AlterField(
            model_name="programtemplate",
            name="slug",
            field=models.SlugField(allow_unicode=True, max_length=80, verbose_name="short name"),
        ),
    ]
