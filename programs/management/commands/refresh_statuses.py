"""`manage.py refresh_statuses`: compute every patient's stored status now (after an upgrade,
or to check a clinic by hand); the background worker otherwise keeps them up to date."""

from django.core.management.base import BaseCommand

from clinic.models import Clinic
from programs.status import refresh_clinic


class Command(BaseCommand):
    help = "Compute the stored status (adherence, reasons for attention) of every patient."

    def add_arguments(self, parser):
        parser.add_argument("--clinic", help="only this clinic (its slug)")

    def handle(self, *args, clinic=None, **options):
        clinics = Clinic.objects.order_by("pk")
        if clinic:
            clinics = clinics.filter(slug=clinic)
            if not clinics.exists():
                self.stderr.write(f"No clinic with the slug “{clinic}”.")
                raise SystemExit(2)
        for each in clinics:
            count = refresh_clinic(each)
            self.stdout.write(f"{each.name}: {count} patient statuses computed.")
