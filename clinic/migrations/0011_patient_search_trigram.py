"""Trigram indexes for the patient search (PostgreSQL only).

The search matches each word anywhere in the first name, last name or e-mail
(`UPPER(column::text) LIKE UPPER('%word%')`, Django's icontains): a B-tree cannot serve it, so
without these indexes every search reads every patient of the installation. pg_trgm is a
trusted extension (PostgreSQL 13+): the database owner may create it. SQLite has neither and
keeps scanning, which is fine at its sizes.
"""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS patient_{column}_trgm ON clinic_patient "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS patient_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0010_clinic_handout_paper")]

    operations = [migrations.RunPython(create, drop)]
