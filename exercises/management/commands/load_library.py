"""`manage.py load_library`: create or refresh the shared exercise library from its data files."""

from django.core.management.base import BaseCommand, CommandError

from exercises import library
from exercises.catalog_file.schema import CatalogFileError


class Command(BaseCommand):
    help = (
        "Load the shared exercise library from exercises/library/*.json. Safe to run again: "
        "rows are matched by slug and only changed where they differ from the files; "
        "clinics' own rows are never touched."
    )

    def handle(self, *args, **options):
        try:
            reports = library.library_load()
        except CatalogFileError as error:
            raise CommandError(f"The library was not changed. {error}") from error
        if not reports:
            raise CommandError(f"No library files found in {library.LIBRARY_DIR}.")
        for path, report in reports:
            self.stdout.write(f"{path.name}:")
            for line in report.lines():
                self.stdout.write(f"  {line}")
        changed = any(report.changed for _, report in reports)
        self.stdout.write(
            self.style.SUCCESS("Library loaded." if changed else "Library already up to date.")
        )
