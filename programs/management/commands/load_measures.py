"""`manage.py load_measures`: the outcome measures shipped with the project (NPRS, PSFS, GROC)."""

from django.core.management.base import BaseCommand, CommandError

from programs.measures.files import MeasureFileError, library_files, load_files


class Command(BaseCommand):
    help = (
        "Create or refresh the shared outcome measures from programs/measures/library/*.json. "
        "Safe to repeat; never touches a clinic's own measures."
    )

    def handle(self, *args, **options):
        try:
            results = load_files(library_files())
        except MeasureFileError as error:
            raise CommandError(f"No measure was changed. {error}") from error
        for name, outcome in results:
            self.stdout.write(f"  {outcome}: {name}")
        changed = any(outcome != "unchanged" for _name, outcome in results)
        self.stdout.write(
            self.style.SUCCESS("Measures loaded." if changed else "Measures up to date.")
        )
