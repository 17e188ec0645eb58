"""`manage.py load_program_templates`: the shared templates from the library's data files."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exercises.catalog_file.schema import CatalogFileError
from exercises.library import library_templates
from programs.library import shared_templates_load


class Command(BaseCommand):
    help = (
        "Create or refresh the program templates every clinic can start from (the "
        '"templates" sections of exercises/library/*.json). Run after load_library.'
    )

    def handle(self, *args, **options):
        try:
            report = shared_templates_load(library_templates())
        except (CatalogFileError, ValidationError) as error:
            raise CommandError(f"No template was changed. {error}") from error
        for label, names in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ):
            if names:
                self.stdout.write(f"  {label}: {', '.join(names)}")
        self.stdout.write(
            self.style.SUCCESS("Templates loaded." if report.changed else "Templates up to date.")
        )
