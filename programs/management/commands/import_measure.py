"""`manage.py import_measure FILE --clinic SLUG`: a clinic's own (e.g. licensed) instrument."""

from django.core.management.base import BaseCommand, CommandError

from clinic.models import Clinic
from programs.measures.files import MeasureFileError, load_files


class Command(BaseCommand):
    help = (
        "Load a clinic's own outcome measure from a JSON file in the format of "
        "docs/measures-format.md (checked first; a clear error names the bad field). "
        "Only that clinic sees it."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--clinic", required=True, help="the clinic's short name (slug)")

    def handle(self, *args, files, clinic, **options):
        owner = Clinic.objects.filter(slug=clinic).first()
        if owner is None:
            raise CommandError(f"No clinic with the short name {clinic!r}.")
        try:
            results = load_files(files, clinic=owner)
        except MeasureFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        for name, outcome in results:
            self.stdout.write(f"  {outcome}: {name} for {owner.name}")
        self.stdout.write(self.style.SUCCESS("Import finished."))
