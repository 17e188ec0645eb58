"""`manage.py create_clinic`: platform staff add a clinic and invite its first admin."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.models import Clinic, Role
from clinic.services import account_exists, invitation_create, invitation_send
from clinic.site import site_url as configured_site_url
from clinic.text import slug_from_name


class Command(BaseCommand):
    help = "Create a clinic and e-mail an invitation to its first clinic admin."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The clinic's name, e.g. 'Sunrise Physical Therapy'.")
        parser.add_argument("--admin", required=True, help="E-mail address of the first admin.")
        parser.add_argument("--timezone", default="UTC", help="e.g. Europe/Madrid (default UTC).")
        parser.add_argument("--slug", help="Short name; made from the name when left out.")
        parser.add_argument(
            "--site-url",
            default=None,
            help="Scheme and host the invitation link points to (default: the SITE_URL "
            "setting, or http://127.0.0.1:8000 in development).",
        )

    def handle(self, *args, name, admin, timezone, slug, site_url, **options):
        email = admin.strip().lower()
        if account_exists(email):
            raise CommandError(f"{email} already has an account; invite someone else.")
        clinic = Clinic(
            name=name, slug=slug or slug_from_name(name, max_length=60), timezone=timezone
        )
        try:
            with transaction.atomic():
                clinic.full_clean()
                clinic.save()
                invitation = invitation_create(
                    clinic=clinic, email=email, role=Role.ADMIN, invited_by=None
                )
        except ValidationError as error:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(f"Nothing was created. {messages}") from error
        invitation_send(
            invitation=invitation, base_url=(site_url or configured_site_url()).rstrip("/")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created “{clinic.name}” ({clinic.slug}); invitation sent to {email}."
            )
        )
