"""The site's own address, for links that leave the site in e-mails (invitations, sign-in
links, reminders): the configured SITE_URL, so a forged Host header cannot redirect them."""

from django.conf import settings


def site_url(request=None) -> str:
    """Scheme and host without a trailing slash, e.g. https://clinic.example.org. Without
    SITE_URL (development) the address the request came to."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is None:
        return "http://127.0.0.1:8000"
    return request.build_absolute_uri("/").rstrip("/")
