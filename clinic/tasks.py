"""E-mails sent outside the request (finding 6): the page that asked answers at once and the
same way whether or not the address has an account; the worker looks the account up."""

from urllib.parse import urlsplit

from django.contrib.auth.forms import PasswordResetForm
from huey.contrib.djhuey import db_task

from clinic.services import sign_in_link_send


@db_task()
def send_sign_in_link(email: str, base_url: str) -> None:
    sign_in_link_send(email=email, base_url=base_url)


@db_task()
def send_password_reset(email: str, base_url: str) -> None:
    """Django's reset e-mail (to active accounts with a password only), with the link built
    from the site's address."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        site = urlsplit(base_url)
        form.save(domain_override=site.netloc, use_https=site.scheme == "https")
