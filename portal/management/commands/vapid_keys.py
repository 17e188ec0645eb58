"""Make a VAPID key pair for web push: prints VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY lines
for the environment, or with --dev-file writes them to that file once (make run uses
.vapid-dev.env, which settings read in development and git ignores)."""

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_key_pair() -> tuple[str, str]:
    """(public, private): the public key as browsers want it (applicationServerKey, the
    uncompressed P-256 point), the private key as pywebpush reads it (raw 32 bytes); both
    base64url without padding."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    raw = private.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(public), _b64url(raw)


class Command(BaseCommand):
    help = "Make a VAPID key pair for web push notifications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dev-file", help="write the pair to this file unless it exists (development)"
        )

    def handle(self, *args, **options):
        public, private = vapid_key_pair()
        text = f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n"
        target = options.get("dev_file")
        if not target:
            self.stdout.write(text, ending="")
            return
        path = Path(target)
        if path.exists():
            self.stdout.write(f"{path} exists: development push keys kept.")
            return
        path.write_text(text)
        path.chmod(0o600)
        self.stdout.write(f"Development push keys written to {path}.")
