"""`manage.py export_catalog --clinic <slug> [file]`: a clinic's own catalog as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from clinic.models import Clinic
from exercises.catalog_file.exporter import catalog_export


class Command(BaseCommand):
    help = (
        "Write a clinic's own exercises, equipment, progression series and disclaimer "
        "versions as JSON (to the file, or to standard output). The shared library is not "
        "included; the clinic's rows refer to it as “library:<slug>”."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="The clinic's short name (slug).")
        parser.add_argument("file", nargs="?", help="Where to write; standard output if left out.")

    def handle(self, *args, clinic, file=None, **options):
        found = Clinic.objects.filter(slug=clinic).first()
        if found is None:
            raise CommandError(f"No clinic with the short name “{clinic}”.")
        text = json.dumps(catalog_export(clinic=found), indent=2, ensure_ascii=False) + "\n"
        if not file:
            self.stdout.write(text, ending="")
            return
        try:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from error
        self.stderr.write(self.style.SUCCESS(f"Catalog of “{found.name}” written to {file}."))
