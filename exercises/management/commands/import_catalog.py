"""`manage.py import_catalog --clinic <slug> file`: load a catalog JSON file into a clinic."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.models import Clinic
from exercises.catalog_file.importer import catalog_apply
from exercises.catalog_file.schema import CatalogFileError
from exercises.library import read_catalog_file


class DryRunDone(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Import a catalog file (as written by export_catalog) into a clinic: rows are matched "
        "by slug, created or updated; rows not in the file stay. All or nothing: a file with "
        "any error changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="The clinic's short name (slug).")
        parser.add_argument("file", help="The JSON file to import.")
        parser.add_argument(
            "--images",
            metavar="DIR",
            help="The folder of pictures export_catalog wrote beside the file (--images).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without changing anything.",
        )

    def handle(self, *args, clinic, file, dry_run=False, images=None, **options):
        found = Clinic.objects.filter(slug=clinic).first()
        if found is None:
            raise CommandError(f"No clinic with the short name “{clinic}”.")
        try:
            data = read_catalog_file(Path(file))
            with transaction.atomic():
                report = catalog_apply(
                    clinic=found, data=data, images_dir=Path(images) if images else None
                )
                if dry_run:
                    raise DryRunDone
        except DryRunDone:
            pass
        except CatalogFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        except ValidationError as error:
            raise CommandError(f"Nothing was imported. {' '.join(error.messages)}") from error
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Catalog imported into “{found.name}”."))
