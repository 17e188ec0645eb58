"""Reading settings from the environment, and the rules a production start must pass."""

import os

from django.core.exceptions import ImproperlyConfigured

# Used only outside production, so `make run` and the tests work with no setup at all.
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 50


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    normalized = value.strip().lower()
    if normalized in {"1", "true", "yes", "on"}:
        return True
    if normalized in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def check_production_settings(
    *, debug: bool, secret_key: str, allowed_hosts: list[str], site_url: str = ""
) -> None:
    """Refuse to start a production process that would be unsafe to expose."""
    if debug:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")
    if len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} random characters."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma separated) in production.")
    # Links in e-mails (invitations, sign-in links, password resets) are built from SITE_URL,
    # never from the request's Host header, which a caller chooses.
    if not site_url.startswith("https://") or len(site_url) <= len("https://"):
        raise ImproperlyConfigured(
            "Set SITE_URL to the site's https:// address (e.g. https://clinic.example.org) "
            "in production: links in e-mails point there."
        )
