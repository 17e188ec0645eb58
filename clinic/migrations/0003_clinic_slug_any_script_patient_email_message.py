import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_invitation_invited_by_optional"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clinic",
            name="slug",
            field=models.SlugField(
                allow_unicode=True, max_length=60, unique=True, verbose_name="short name"
            ),
        ),
        # Only the message changes: no database work.
        migrations.AlterConstraint(
            model_name="patient",
            name="patient_email_unique_per_clinic",
            constraint=models.UniqueConstraint(
                models.F("clinic"),
                django.db.models.functions.text.Lower("email"),
                name="patient_email_unique_per_clinic",
                violation_error_message="This clinic already has a patient with this address.",
            ),
        ),
    ]
