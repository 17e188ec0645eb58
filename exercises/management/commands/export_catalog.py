"""`manage.py export_catalog --clinic <slug> [file]`: a clinic's own catalog as JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.models import Clinic
from exercises.catalog_file.exporter import catalog_export, copy_pictures


class Command(BaseCommand):
    help = (
        "Write a clinic's own exercises, equipment, progression series and disclaimer "
        "versions as JSON (to the file, or to standard output). The shared library is not "
        "included; the clinic's rows refer to it as “library:<slug>”."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="The clinic's short name (slug).")
        parser.add_argument("file", nargs="?", help="Where to write; standard output if left out.")
        parser.add_argument(
            "--images",
            metavar="DIR",
            help="Also copy the exercises' pictures into this folder (for import_catalog).",
        )

    def handle(self, *args, clinic, file=None, images=None, **options):
        found = Clinic.objects.filter(slug=clinic).first()
        if found is None:
            raise CommandError(f"No clinic with the short name “{clinic}”.")
        data = catalog_export(clinic=found)
        if images:
            copy_pictures(data, Path(images))
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if not file:
            self.stdout.write(text, ending="")
            return
        try:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from error
        self.stderr.write(self.style.SUCCESS(f"Catalog of “{found.name}” written to {file}."))
